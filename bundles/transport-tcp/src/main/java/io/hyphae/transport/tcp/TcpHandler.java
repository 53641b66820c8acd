package io.hyphae.transport.tcp;

import io.hyphae.wire.Packet;
import io.hyphae.wire.WireException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one TCP connection, dialled or accepted, at the end of its pipeline (TLS, idle timer, length-field
 * decoder): a finished handshake makes it a {@link TcpConnection} of the peer its certificate proves; each frame is
 * decoded and handed to that connection; a bad frame (undecodable or over the limit) closes it; idleness closes it;
 * its end fails what was in flight on it. One per connection; runs on its event loop; throws nothing past here.
 */
final class TcpHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private static final Logger LOG = LoggerFactory.getLogger(TcpHandler.class);
    private final TcpTransport owner;
    private boolean refused;

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
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        TcpConnection connection = ctx.channel().attr(TcpConnection.KEY).get();
        if (refused || connection == null) {
            return;
        }
        if (!frame.isReadable()) {
            return; // keep-alive
        }
        Packet packet;
        try {
            packet = owner.codec().decode(ByteBufUtil.getBytes(frame));
        } catch (WireException e) {
            refused = true;
            connection.badFrame(e.getMessage());
            return;
        }
        connection.received(packet);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        owner.connections().closed(ctx.channel());
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        TcpConnection connection = ctx.channel().attr(TcpConnection.KEY).get();
        boolean badFrame = cause instanceof TooLongFrameException
                || (cause instanceof DecoderException && !(cause.getCause() instanceof SSLException));
        if (badFrame && connection != null && !refused) {
            refused = true;
            connection.badFrame(cause.getMessage());
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
