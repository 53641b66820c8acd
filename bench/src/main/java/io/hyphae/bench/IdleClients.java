package io.hyphae.bench;

import io.hyphae.spi.transport.Endpoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The far side of the idle-connection measurement, in its own JVM so its memory does not count: {@code n} client
 * transports of one scheme, each with its own identity, each pings the server once (one connection each) and then
 * idles. Prints {@code READY} when every ping was answered, and closes everything when stdin closes.
 */
public final class IdleClients {
    private IdleClients() {
    }

    /** Arguments: {@code quic|tcp} endpoint count. */
    public static void main(String[] args) throws Exception {
        Transports.Kind kind = Transports.Kind.valueOf(args[0].toUpperCase(java.util.Locale.ROOT));
        Endpoint server = Endpoint.parse(args[1]);
        int count = Integer.parseInt(args[2]);
        List<Transports.Owned> clients = new ArrayList<>();
        List<CompletableFuture<?>> pings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Transports.Owned client = Transports.start(kind);
            clients.add(client);
            pings.add(client.transport().request(server, Pinger.ping(client.transport().localEndpoints().get(0)
                    .nodeId()), Transports.deadline()).toCompletableFuture());
        }
        CompletableFuture.allOf(pings.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        System.out.println("READY");
        System.out.flush();
        try {
            while (System.in.read() >= 0) {
                // wait for the parent to close our stdin
            }
        } catch (IOException e) {
            // the parent went away
        }
        clients.forEach(Transports.Owned::close);
        System.exit(0);
    }
}
