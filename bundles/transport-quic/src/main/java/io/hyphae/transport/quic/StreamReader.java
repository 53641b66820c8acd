package io.hyphae.transport.quic;

import io.hyphae.wire.Packet;
import io.hyphae.wire.WireException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one stream the peer opened: takes the frames the length-field decoder cut, decodes each with the wire codec
 * and hands it to the connection. A bad frame (undecodable, or longer than the limit) never throws past here: the
 * connection counts it, logs it once and closes this stream; later bytes of the stream are ignored. One per stream;
 * runs on the connection's event loop.
 */
final class StreamReader extends SimpleChannelInboundHandler<ByteBuf> {
    private static final Logger LOG = LoggerFactory.getLogger(StreamReader.class);
    private final QuicTransport owner;
    private QuicConnection connection; // known after the first frame
    private boolean refused;

    StreamReader(QuicTransport owner) {
        this.owner = owner;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        if (refused) {
            return;
        }
        QuicConnection connection = this.connection;
        if (connection == null) {
            connection = owner.connections().connectionOf((QuicChannel) ctx.channel().parent());
            if (connection == null) {
                refused = true;
                ctx.close();
                return;
            }
            this.connection = connection;
        }
        if (!frame.isReadable()) {
            return; // keep-alive
        }
        Packet packet;
        try {
            packet = owner.codec().decode(ByteBufUtil.getBytes(frame));
        } catch (WireException e) {
            refuse(ctx, connection, e.getMessage());
            return;
        }
        connection.received(packet);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (connection != null) {
            connection.readComplete();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || cause instanceof DecoderException) {
            QuicConnection connection = owner.connections().connectionOf((QuicChannel) ctx.channel().parent());
            if (connection != null && !refused) {
                refuse(ctx, connection, cause.getMessage());
                return;
            }
        } else {
            LOG.debug("stream {} failed: {}", ctx.channel(), cause.toString());
        }
        ctx.close();
    }

    private void refuse(ChannelHandlerContext ctx, QuicConnection connection, String reason) {
        refused = true;
        connection.badFrame((QuicStreamChannel) ctx.channel(), reason);
    }
}
