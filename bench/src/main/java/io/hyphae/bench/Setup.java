package io.hyphae.bench;

import io.hyphae.spi.transport.Endpoint;
import java.util.concurrent.TimeUnit;

/**
 * Connection setup: a fresh client (its socket already bound, not timed) dials the server and sends the first
 * request; the time until its answer. Hyphae: TLS 1.3 with Ed25519 node certificates on both sides and the node id
 * check, then a DHT Ping/Pong. Raw QUIC: TLS 1.3 with an EC server certificate, no client certificate, a stream and
 * one request/ack.
 */
final class Setup {
    private Setup() {
    }

    static Latencies hyphae(Transports.Kind kind, int times) throws Exception {
        Latencies latencies = new Latencies(times);
        try (Transports.Owned server = Transports.start(kind)) {
            Pinger.serve(server.transport());
            Endpoint to = server.transport().localEndpoints().get(0);
            for (int i = 0; i < times; i++) {
                try (Transports.Owned client = Transports.start(kind)) {
                    long start = System.nanoTime();
                    client.transport().request(to, Pinger.ping(client.transport().localEndpoints().get(0).nodeId()),
                            Transports.deadline()).toCompletableFuture().get(10, TimeUnit.SECONDS);
                    latencies.record(System.nanoTime() - start);
                }
            }
        }
        return latencies;
    }

    static Latencies rawQuic(int times) throws Exception {
        Latencies latencies = new Latencies(times);
        try (RawQuic.Server server = new RawQuic.Server()) {
            for (int i = 0; i < times; i++) {
                try (RawQuic.Client client = new RawQuic.Client(server)) {
                    long start = System.nanoTime();
                    client.connect().request(Carrier.stamped(16)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                    latencies.record(System.nanoTime() - start);
                }
            }
        }
        return latencies;
    }
}
