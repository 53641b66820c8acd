package io.hyphae.transport.quic;

import io.hyphae.api.NodeId;
import io.hyphae.spi.transport.TlsCredentials;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.InsecureQuicTokenHandler;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * A QUIC peer built from Netty directly, with a valid node certificate, that misbehaves on purpose: a client that
 * writes raw bytes on a stream, a server that never reads its streams, or one that demands a Retry round trip.
 * Closes its event loop in {@link #close}.
 */
final class RawQuicPeer implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final TlsCredentials credentials = QuicFixture.credentials();
    private final QuicTls tls = new QuicTls(credentials, Clock.systemUTC());
    private Channel socket;

    NodeId nodeId() {
        return credentials.nodeId();
    }

    /** Dials {@code node} at {@code address} and returns the connection. */
    QuicChannel dial(InetSocketAddress address, NodeId node) throws Exception {
        ChannelHandler codec = new QuicClientCodecBuilder().sslEngineProvider(tls::clientEngine)
                .maxIdleTimeout(10, TimeUnit.SECONDS).initialMaxData(1 << 20)
                .initialMaxStreamDataUnidirectional(1 << 20).initialMaxStreamsUnidirectional(4).build();
        socket = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec)
                .bind("127.0.0.1", 0).sync().channel();
        return QuicChannel.newBootstrap(socket).attr(QuicTls.EXPECTED, node)
                .handler(new ChannelInboundHandlerAdapter())
                .streamHandler(new ChannelInboundHandlerAdapter())
                .remoteAddress(address).connect().get(5, TimeUnit.SECONDS);
    }

    /** Opens a stream on {@code connection} and writes {@code bytes} on it. */
    static QuicStreamChannel writeRaw(QuicChannel connection, ByteBuf bytes) throws Exception {
        QuicStreamChannel stream = connection.createStream(QuicStreamType.UNIDIRECTIONAL,
                new ChannelInboundHandlerAdapter()).get(5, TimeUnit.SECONDS);
        stream.writeAndFlush(bytes).sync();
        return stream;
    }

    /** A frame header announcing {@code length} bytes, then {@code body}. */
    static ByteBuf frame(int length, byte[] body) {
        return Unpooled.buffer().writeInt(length).writeBytes(body);
    }

    /**
     * Listens on loopback as a node that accepts connections and streams but never reads them, with a stream
     * window of {@code streamWindowBytes}.
     */
    InetSocketAddress listenWithoutReading(long streamWindowBytes) throws Exception {
        ChannelHandler codec = new QuicServerCodecBuilder().sslContext(tls.serverContext())
                .maxIdleTimeout(10, TimeUnit.SECONDS).initialMaxData(streamWindowBytes)
                .initialMaxStreamDataUnidirectional(streamWindowBytes).initialMaxStreamsUnidirectional(4)
                .tokenHandler(null)
                .handler(new ChannelInboundHandlerAdapter())
                .streamOption(ChannelOption.AUTO_READ, false)
                .streamHandler(new ChannelInboundHandlerAdapter())
                .build();
        socket = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec)
                .bind("127.0.0.1", 0).sync().channel();
        return (InetSocketAddress) socket.localAddress();
    }

    /** Listens on loopback as a node that answers every first Initial with a Retry, then accepts the connection. */
    InetSocketAddress listenWithRetry() throws Exception {
        ChannelHandler codec = new QuicServerCodecBuilder().sslContext(tls.serverContext())
                .maxIdleTimeout(10, TimeUnit.SECONDS).initialMaxData(1 << 20)
                .initialMaxStreamDataUnidirectional(1 << 20).initialMaxStreamsUnidirectional(4)
                .tokenHandler(InsecureQuicTokenHandler.INSTANCE)
                .handler(new ChannelInboundHandlerAdapter())
                .streamHandler(new ChannelInboundHandlerAdapter())
                .build();
        socket = new Bootstrap().group(group).channel(NioDatagramChannel.class).handler(codec)
                .bind("127.0.0.1", 0).sync().channel();
        return (InetSocketAddress) socket.localAddress();
    }

    @Override
    public void close() throws Exception {
        if (socket != null) {
            socket.close().await(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
}
