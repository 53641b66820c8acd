package io.hyphae.transport.tcp;

import io.hyphae.wire.Packet;
import io.hyphae.wire.RouteAliases;
import io.hyphae.wire.WireException;
import io.hyphae.wire.WireLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one TCP connection, dialled or accepted, at the end of its pipeline (TLS, idle timer): a finished handshake
 * makes it a {@link TcpConnection} of the peer its certificate proves; its bytes are cut into
 * {@code [4-byte length][packet]} frames, each decoded from a reused array and handed to that connection (cutting and
 * decoding in one handler: no slice, no array per frame, no pipeline hop; bench/, #6); a bad frame (undecodable, or
 * announced longer than the limit, refused from its length before anything is buffered) closes it; idleness closes
 * it; its end fails what was in flight on it. One per connection; runs on its event loop; throws nothing past here.
 */
final class TcpHandler extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(TcpHandler.class);
    /** Frames up to this size are decoded from {@link #scratch}; larger ones from an array of their own. */
    private static final int MAX_SCRATCH_BYTES = 64 * 1024;
    private final TcpTransport owner;
    private boolean refused;
    private byte[] scratch = new byte[1024];
    private final RouteAliases.In aliases = new RouteAliases.In(); // the route aliases the peer defined

    TcpHandler(TcpTransport owner) {
        this.owner = owner;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        CompletableFuture<TcpConnection> dial = ctx.channel().attr(Connections.DIAL).get();
        if (dial != null) { // a dial that timed out closes its half-open connection
            dial.whenComplete((connection, failure) -> {
                if (failure != null) {
                    ctx.channel().close();
                }
            });
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                owner.connections().established(ctx.channel(), ctx.pipeline().get(SslHandler.class).engine());
            } else {
                owner.connections().refused(ctx.channel(), handshake.cause());
                ctx.close();
            }
        } else if (event instanceof IdleStateEvent) {
            LOG.debug("{} idle; closing", ctx.channel());
            ctx.close();
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        TcpConnection connection = ctx.channel().attr(TcpConnection.KEY).get();
        while (!refused && connection != null && in.readableBytes() >= Integer.BYTES) {
            int length = in.getInt(in.readerIndex());
            if (length < 0 || length > WireLimits.MAX_FRAME_BYTES) {
                refuse(connection, "frame of " + Integer.toUnsignedString(length) + " bytes is over the limit of "
                        + WireLimits.MAX_FRAME_BYTES);
                break;
            }
            if (in.readableBytes() - Integer.BYTES < length) {
                return; // the rest of the frame is still on its way
            }
            in.skipBytes(Integer.BYTES);
            if (length == 0) {
                continue; // keep-alive
            }
            Packet packet;
            try {
                packet = decode(in, length);
            } catch (WireException e) {
                refuse(connection, e.getMessage());
                break;
            }
            connection.received(packet);
        }
        if (refused || connection == null) {
            in.skipBytes(in.readableBytes()); // before the handshake nothing may arrive; after a bad frame, ignored
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

    private void refuse(TcpConnection connection, String reason) {
        refused = true;
        connection.badFrame(reason);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        super.channelReadComplete(ctx);
        TcpConnection connection = ctx.channel().attr(TcpConnection.KEY).get();
        if (connection != null) {
            connection.readComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        super.channelInactive(ctx); // frames still buffered are delivered first
        owner.connections().closed(ctx.channel());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        TcpConnection connection = ctx.channel().attr(TcpConnection.KEY).get();
        boolean badFrame = cause instanceof DecoderException && !(cause.getCause() instanceof SSLException);
        if (badFrame && connection != null && !refused) {
            refuse(connection, cause.getMessage());
            return;
        }
        if (connection == null && cause.getCause() instanceof SSLException) {
            owner.connections().refused(ctx.channel(), cause.getCause());
        } else {
            LOG.debug("{} failed: {}", ctx.channel(), cause.toString());
        }
        ctx.close();
    }
}
