package io.hyphae.transport.quic;

import io.hyphae.wire.Packet;
import io.hyphae.wire.RouteAliases;
import io.hyphae.wire.WireException;
import io.hyphae.wire.WireLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one stream the peer opened: cuts {@code [4-byte length][packet]} frames, decodes each with the wire codec and
 * hands it to the connection. Cutting and decoding are one handler, and a frame is decoded from a reused array, so a
 * frame costs no slice, no copy of its own and no pipeline hop (bench/, #6). A bad frame (undecodable, or announced
 * longer than the limit, which is refused from its length before anything is buffered) never throws past here: the
 * connection counts it, logs it once and closes this stream; later bytes of the stream are ignored. One per stream;
 * runs on the connection's event loop.
 */
final class StreamReader extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(StreamReader.class);
    /** Frames up to this size are decoded from {@link #scratch}; larger ones from an array of their own. */
    private static final int MAX_SCRATCH_BYTES = 64 * 1024;
    private final QuicTransport owner;
    private QuicConnection connection; // known after the first frame
    private boolean refused;
    private byte[] scratch = new byte[1024];
    private final RouteAliases.In aliases = new RouteAliases.In(); // the route aliases the peer defined on this stream

    StreamReader(QuicTransport owner) {
        this.owner = owner;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!refused && in.readableBytes() >= Integer.BYTES) {
            int start = in.readerIndex();
            int length = in.getInt(start);
            if (length < 0 || length > WireLimits.MAX_FRAME_BYTES) {
                in.skipBytes(in.readableBytes());
                refuse(ctx, "frame of " + Integer.toUnsignedString(length) + " bytes is over the limit of "
                        + WireLimits.MAX_FRAME_BYTES);
                return;
            }
            if (in.readableBytes() - Integer.BYTES < length) {
                return; // the rest of the frame is still on its way
            }
            QuicConnection connection = connection(ctx);
            if (connection == null) {
                in.skipBytes(in.readableBytes());
                return;
            }
            in.skipBytes(Integer.BYTES);
            if (length == 0) {
                continue; // keep-alive
            }
            Packet packet;
            try {
                packet = decode(in, length);
            } catch (WireException e) {
                in.skipBytes(in.readableBytes());
                refuse(ctx, e.getMessage());
                return;
            }
            connection.received(packet);
        }
        if (refused) {
            in.skipBytes(in.readableBytes());
        }
    }

    /** Decodes the {@code length} bytes at the reader index and consumes them. */
    private Packet decode(ByteBuf in, int length) {
        int at = in.readerIndex();
        Packet packet;
        if (in.hasArray()) {
            packet = owner.codec().decode(in.array(), in.arrayOffset() + at, length, aliases);
        } else {
            byte[] bytes = length <= scratch.length ? scratch : grow(length);
            in.getBytes(at, bytes, 0, length);
            packet = owner.codec().decode(bytes, 0, length, aliases); // the codec keeps nothing of the array
        }
        in.skipBytes(length);
        return packet;
    }

    private byte[] grow(int length) {
        if (length > MAX_SCRATCH_BYTES) {
            return new byte[length];
        }
        scratch = new byte[Math.max(length, Math.min(MAX_SCRATCH_BYTES, scratch.length * 2))];
        return scratch;
    }

    private QuicConnection connection(ChannelHandlerContext ctx) {
        if (connection == null) {
            connection = owner.connections().connectionOf((QuicChannel) ctx.channel().parent());
            if (connection == null) {
                refused = true;
                ctx.close();
            }
        }
        return connection;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        super.channelReadComplete(ctx);
        if (connection != null) {
            connection.readComplete();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("stream {} failed: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        refused = true;
        QuicConnection connection = connection(ctx);
        if (connection != null) {
            connection.badFrame((QuicStreamChannel) ctx.channel(), reason);
        }
    }
}
