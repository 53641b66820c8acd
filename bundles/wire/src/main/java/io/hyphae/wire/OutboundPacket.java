package io.hyphae.wire;

import io.hyphae.spi.transport.TransportException;
import java.util.concurrent.CompletableFuture;

/**
 * One encoded packet on its way to a peer's connection, told once whether the transport handed it to the network
 * ({@link #sent()}) or gave up on it ({@link #failed}). A transport calls back on its network thread, or on the
 * writing thread when it refuses the packet at once; callbacks must not block.
 */
public abstract class OutboundPacket {
    private final byte[] bytes;

    /** A packet of these encoded bytes, which neither side changes afterwards. */
    protected OutboundPacket(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The encoded packet itself, not a copy; empty for a keep-alive. */
    public final byte[] bytes() {
        return bytes;
    }

    /** Bytes it takes on a framed stream: the packet and its 4-byte length. */
    public final int size() {
        return bytes.length + Integer.BYTES;
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
