package io.hyphae.transport.quic;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.util.concurrent.atomic.LongAdder;

/**
 * Gives each datagram of the node's UDP socket to the server or the client QUIC codec, by its destination connection
 * id: Netty's codecs each consume every datagram of their channel, so two of them cannot share a socket without
 * this. The pipeline is {@code [this, server codec, clientEntry(), client codec]} (head to tail):
 *
 * <ul>
 * <li><b>Reads.</b> A datagram whose destination id has the {@link QuicClientIds client form} enters at {@link
 * #clientEntry()} and so reaches the client codec only; everything else goes on to the server codec, which drops what
 * it cannot parse or map. Neither codec passes {@code channelRead} or {@code channelReadComplete} on, so this handler
 * fires {@code channelReadComplete} to both: each codec flushes once per read batch.
 * <li><b>Writes and connect.</b> Connections write to the UDP channel, so from the tail through both codecs, which
 * count and pass writes on. A dial's {@code connect} reaches the client codec first and stops there.
 * <li><b>Everything else</b> (active, inactive, writability, exceptions, events) passes through both codecs.
 * </ul>
 *
 * Long headers carry the destination id after flags, version and its length byte; a length other than {@link
 * QuicClientIds#LENGTH} is never a client id. That covers every long packet a peer's server sends a dial (Initial,
 * Handshake, 0-RTT, Retry, Version Negotiation). Short headers: the id is the bytes after the flags byte.
 *
 * <p>Not sharable; runs on the socket's event loop.
 */
final class QuicRoleDispatcher extends ChannelInboundHandlerAdapter {
    private static final int LONG_HEADER_BIT = 0x80;
    /** Flags (1), version (4), then the destination id length byte. */
    private static final int LONG_DCID_LENGTH_AT = 1 + Integer.BYTES;

    private final QuicClientIds ids;
    private final LongAdder malformed;
    private final ClientEntry entry = new ClientEntry();

    /** {@code malformed} counts datagrams too short for the destination id their header announces. */
    QuicRoleDispatcher(QuicClientIds ids, LongAdder malformed) {
        this.ids = ids;
        this.malformed = malformed;
    }

    /** The handler to place right before the client codec: firing from its context reaches the client codec. */
    ChannelHandler clientEntry() {
        return entry;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DatagramPacket packet && isForClient(packet.content())) {
            entry.ctx.fireChannelRead(msg);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.fireChannelReadComplete();
        entry.ctx.fireChannelReadComplete();
    }

    /** Whether {@code content} is addressed to one of this socket's dials; counts it when it is cut short. */
    private boolean isForClient(ByteBuf content) {
        int start = content.readerIndex();
        int readable = content.readableBytes();
        if (readable == 0) {
            malformed.increment();
            return false;
        }
        if ((content.getUnsignedByte(start) & LONG_HEADER_BIT) == 0) {
            if (readable < 1 + QuicClientIds.LENGTH) {
                malformed.increment();
                return false;
            }
            return ids.isClientId(content, start + 1);
        }
        if (readable <= LONG_DCID_LENGTH_AT
                || readable <= LONG_DCID_LENGTH_AT + content.getUnsignedByte(start + LONG_DCID_LENGTH_AT)) {
            malformed.increment();
            return false;
        }
        return content.getUnsignedByte(start + LONG_DCID_LENGTH_AT) == QuicClientIds.LENGTH
                && ids.isClientId(content, start + LONG_DCID_LENGTH_AT + 1);
    }

    /** Passes everything on; only its context matters. */
    private static final class ClientEntry extends ChannelInboundHandlerAdapter {
        private ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }
    }
}
