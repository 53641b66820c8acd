package io.hyphae.wire;

import io.hyphae.spi.transport.TransportException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One encoded packet on its way to a peer's connection, told once whether the transport handed it to the network
 * ({@link #sent()}) or gave up on it ({@link #failed}). A transport calls back on its network thread, or on the
 * writing thread when it refuses the packet at once; callbacks must not block.
 */
public abstract class OutboundPacket {
    private final byte[] bytes; // null for a route its stream lays out
    private final Packet route;
    private final int length;

    /** A packet of these encoded bytes, which neither side changes afterwards. */
    protected OutboundPacket(byte[] bytes) {
        this.bytes = Objects.requireNonNull(bytes, "bytes");
        this.route = null;
        this.length = bytes.length;
    }

    /**
     * A route packet that the connection's stream lays out itself ({@link RouteAliases.Out}), on the stream's thread
     * and straight into its buffer, instead of an encoding made here and copied there again; {@code length} is its
     * length in full, its limits checked.
     */
    OutboundPacket(Packet route, int length) {
        this.bytes = null;
        this.route = route;
        this.length = length;
    }

    /**
     * The encoded packet itself, not a copy; empty for a keep-alive. A route its stream lays out is encoded at this
     * call, in full; the stream itself does not call this.
     */
    public final byte[] bytes() {
        return bytes != null ? bytes : RouteCodec.encode(route);
    }

    /** Bytes it takes on a framed stream in full: the packet and its 4-byte length (by alias, up to 2 more). */
    public final int size() {
        return length + Integer.BYTES;
    }

    /** The route its stream lays out, or null for a packet encoded already. */
    final Packet route() {
        return route;
    }

    /** Handed to the network; by default nothing to do. */
    public void sent() {
    }

    /** Refused, or lost with its connection. */
    public abstract void failed(TransportException failure);

    /** A packet whose outcome completes {@link #done()}. */
    public static final class Done extends OutboundPacket {
        private final CompletableFuture<Void> done = new CompletableFuture<>();

        public Done(byte[] bytes) {
            super(bytes);
        }

        Done(Packet route, int length) {
            super(route, length);
        }

        /** Completes when the packet was handed to the network, or fails with the {@link TransportException}. */
        public CompletableFuture<Void> done() {
            return done;
        }

        @Override
        public void sent() {
            done.complete(null);
        }

        @Override
        public void failed(TransportException failure) {
            done.completeExceptionally(failure);
        }
    }
}
