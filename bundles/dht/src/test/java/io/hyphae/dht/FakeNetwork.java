package io.hyphae.dht;

import io.hyphae.api.NodeId;
import io.hyphae.spi.concurrent.VirtualTime;
import io.hyphae.spi.transport.Endpoint;
import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Peer;
import io.hyphae.spi.transport.RequestTimeoutException;
import io.hyphae.spi.transport.Transport;
import io.hyphae.spi.transport.UnreachablePeerException;
import io.hyphae.wire.Frames;
import io.hyphae.wire.WireLimits;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny in-test network on VirtualTime: frames are handed over as objects after a fixed latency, no encoding. A
 * node that is down, or a host nobody has, never answers (the request times out). Stands in for transport-mem.
 */
final class FakeNetwork {
    final VirtualTime time;
    final Duration latency;
    private final Map<String, FakeTransport> byHost = new HashMap<>();
    private int next;

    FakeNetwork(VirtualTime time, Duration latency) {
        this.time = time;
        this.latency = latency;
    }

    FakeTransport attach(NodeId id) {
        String host = "n" + next++;
        FakeTransport t = new FakeTransport(new Endpoint("mem", host, 1, id));
        byHost.put(host, t);
        return t;
    }

    /** A transport of this network for endpoints of scheme {@code mem}. */
    final class FakeTransport implements Transport {
        final Endpoint local;
        final List<InboundHandler> handlers = new CopyOnWriteArrayList<>();
        volatile boolean down;
        /** When set, answers every request instead of the registered handlers (a hostile node). */
        volatile InboundHandler override;

        FakeTransport(Endpoint local) {
            this.local = local;
        }

        @Override
        public String scheme() {
            return "mem";
        }

        @Override
        public List<Endpoint> localEndpoints() {
            return List.of(local);
        }

        @Override
        public int maxFrameBytes() {
            return WireLimits.MAX_FRAME_BYTES;
        }

        @Override
        public CompletionStage<Frame> request(Endpoint to, Frame request, Duration timeout) {
            CompletableFuture<Frame> answer = new CompletableFuture<>();
            time.schedule(timeout, () -> answer.completeExceptionally(new RequestTimeoutException("timeout " + to)));
            FakeTransport peer = byHost.get(to.host());
            if (peer == null || peer.down || down) {
                return answer;
            }
            if (!peer.local.nodeId().equals(to.nodeId())) {
                time.schedule(latency, () -> answer.completeExceptionally(
                        new UnreachablePeerException(to + " is another node")));
                return answer;
            }
            Peer from = new Peer(local.nodeId(), "mem", local.host());
            time.schedule(latency, () -> {
                InboundHandler handler = peer.handlerFor(request);
                if (handler == null) {
                    time.schedule(latency, () -> answer.complete(new Frames.Error(Frames.Error.Code.UNSUPPORTED, "")));
                    return;
                }
                handler.onRequest(from, request).whenComplete((frame, error) -> time.schedule(latency, () -> {
                    if (!peer.down) {
                        answer.complete(error != null ? new Frames.Error(Frames.Error.Code.INTERNAL, "") : frame);
                    }
                }));
            });
            return answer;
        }

        private InboundHandler handlerFor(Frame frame) {
            if (override != null) {
                return override;
            }
            for (InboundHandler h : handlers) {
                if (h.accepts(frame)) {
                    return h;
                }
            }
            return null;
        }

        @Override
        public CompletionStage<Void> send(Endpoint to, Frame message) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public Registration register(InboundHandler handler) {
            handlers.add(handler);
            return () -> handlers.remove(handler);
        }
    }
}
