package io.hyphae.advertisement;

import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Transport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A transport that only knows where it listens. */
final class FakeTransport implements Transport {
    private final String scheme;
    private volatile List<Endpoint> endpoints;

    FakeTransport(String scheme, List<Endpoint> endpoints) {
        this.scheme = scheme;
        this.endpoints = List.copyOf(endpoints);
    }

    void listenOn(List<Endpoint> now) {
        endpoints = List.copyOf(now);
    }

    @Override
    public String scheme() {
        return scheme;
    }

    @Override
    public List<Endpoint> localEndpoints() {
        return endpoints;
    }

    @Override
    public int maxFrameBytes() {
        return 1 << 20;
    }

    @Override
    public CompletionStage<Frame> request(Endpoint to, Frame request, Duration timeout) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("fake"));
    }

    @Override
    public CompletionStage<Void> send(Endpoint to, Frame message) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("fake"));
    }

    @Override
    public Registration register(InboundHandler handler) {
        return () -> { };
    }
}
