package io.hyphae.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.quic.QuicConnectionAddress;
import io.netty.handler.codec.quic.QuicConnectionIdGenerator;
import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * The form of the connection ids that the dials of one socket choose for themselves, so that {@link
 * QuicRoleDispatcher} can tell a datagram for a dialled connection from one for an accepted connection by its
 * destination connection id alone.
 *
 * <p>A client id is {@code [marker][11 random bytes][8-byte tag]}: the marker is one byte drawn per instance and the
 * tag is SipHash-2-4 of the first 12 bytes under a 128-bit key of this instance. The ids the server codec hands out
 * (its first id and NEW_CONNECTION_ID ids) come from {@link #serverIdGenerator}, which never starts an id with the
 * marker, so no server id has the client form. The id a remote client picks for its first Initial is random and
 * has the client form with probability 2<sup>-72</sup>. Netty's client connections never issue further ids (their
 * generator is null in 4.2), so the id set at dial time is the only one a peer's server sends to.
 *
 * <p>Thread safe: the key is fixed at construction; {@link #newClientAddress()} draws from a {@link SecureRandom}.
 */
final class QuicClientIds {
    /** Length of every local connection id of the socket, client and server alike: Netty's default, quiche's max. */
    static final int LENGTH = 20;
    private static final int TAG_BYTES = Long.BYTES;
    private static final int TAGGED = LENGTH - TAG_BYTES;

    private final SecureRandom random = new SecureRandom();
    private final byte marker = (byte) random.nextInt(256);
    private final long k0 = random.nextLong();
    private final long k1 = random.nextLong();

    /** A fresh client id, for exactly one dial: two connections with one id would take each other's packets. */
    QuicConnectionAddress newClientAddress() {
        return new QuicConnectionAddress(newClientId());
    }

    byte[] newClientId() {
        byte[] id = new byte[LENGTH];
        random.nextBytes(id);
        id[0] = marker;
        long tag = SipHash.hash24(k0, k1, Unpooled.wrappedBuffer(id), 0, TAGGED);
        for (int i = 0; i < TAG_BYTES; i++) {
            id[TAGGED + i] = (byte) (tag >>> (8 * i));
        }
        return id;
    }

    /**
     * Whether the {@link #LENGTH} bytes of {@code buf} at absolute index {@code offset} are a client id of this
     * instance. The caller checks that they are readable.
     */
    boolean isClientId(ByteBuf buf, int offset) {
        if (buf.getByte(offset) != marker) {
            return false; // every server id, and 255 of 256 ids remote clients pick: one compare
        }
        return buf.getLongLE(offset + TAGGED) == SipHash.hash24(k0, k1, buf, offset, TAGGED);
    }

    /**
     * A generator for the server codec that yields what {@code delegate} yields, except that an id starting with the
     * marker gets its first byte inverted; deterministic, because Netty maps a repeated Initial to its connection by
     * asking an idempotent generator again.
     */
    QuicConnectionIdGenerator serverIdGenerator(QuicConnectionIdGenerator delegate) {
        return new QuicConnectionIdGenerator() {
            @Override
            public ByteBuffer newId(int length) {
                return unmarked(delegate.newId(length));
            }

            @Override
            public ByteBuffer newId(ByteBuffer input, int length) {
                return unmarked(delegate.newId(input, length));
            }

            @Override
            public ByteBuffer newId(ByteBuffer scid, ByteBuffer dcid, int length) {
                return unmarked(delegate.newId(scid, dcid, length));
            }

            @Override
            public int maxConnectionIdLength() {
                return delegate.maxConnectionIdLength();
            }

            @Override
            public boolean isIdempotent() {
                return delegate.isIdempotent();
            }
        };
    }

    private ByteBuffer unmarked(ByteBuffer id) {
        if (!id.hasRemaining() || id.get(id.position()) != marker) {
            return id;
        }
        byte[] copy = new byte[id.remaining()];
        id.duplicate().get(copy);
        copy[0] = (byte) ~marker;
        return ByteBuffer.wrap(copy);
    }
}
