package io.hyphae.transport.quic;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionCloseEvent;
import io.netty.handler.codec.quic.QuicStreamLimitChangedEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one QUIC connection, dialled or accepted: on a finished handshake the transport learns the peer's node id
 * from its certificate; a failed handshake is a refusal; the end of the connection fails what was in flight on it.
 * One per connection; runs on its event loop.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionHandler.class);
    private final QuicTransport owner;

    ConnectionHandler(QuicTransport owner) {
        this.owner = owner;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        CompletableFuture<QuicConnection> dial = ctx.channel().attr(Connections.DIAL).get();
        if (dial != null) { // a dial that failed (timed out, or given up for another) closes its half-open connection
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
                owner.connections().established((QuicChannel) ctx.channel());
            } else {
                owner.connections().refused((QuicChannel) ctx.channel(), handshake.cause());
                ctx.close();
            }
        } else if (event instanceof QuicStreamLimitChangedEvent) {
            QuicConnection connection = ctx.channel().attr(QuicConnection.KEY).get();
            if (connection != null) {
                connection.streamLimitChanged();
            }
        } else if (event instanceof QuicConnectionCloseEvent close) {
            LOG.debug("{} closed by the peer: application={} error={}", ctx.channel(), close.isApplicationClose(),
                    close.error());
            owner.connections().closedByPeer((QuicChannel) ctx.channel());
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        owner.connections().closed((QuicChannel) ctx.channel());
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{} failed: {}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
