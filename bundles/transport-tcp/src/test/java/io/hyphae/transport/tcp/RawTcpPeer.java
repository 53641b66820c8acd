package io.hyphae.transport.tcp;

import io.hyphae.api.NodeId;
import io.hyphae.spi.transport.TlsCredentials;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * A TLS peer built from Netty directly, with a valid node certificate, that misbehaves on purpose: a client that
 * writes raw bytes after the handshake, or a server that stops reading once the handshake is done. Closes its event
 * loop in {@link #close}.
 */
final class RawTcpPeer implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final TlsCredentials credentials = TcpFixture.credentials();
    private final TcpTls tls = new TcpTls(credentials, Clock.systemUTC());
    private Channel channel;

    NodeId nodeId() {
        return credentials.nodeId();
    }

    /** Dials {@code node} at {@code address} and returns the channel once TLS is up. */
    Channel dial(InetSocketAddress address, NodeId node) throws Exception {
        channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new SslHandler(tls.clientEngine(ch.alloc(), node)));
                    }
                }).connect(address).sync().channel();
        channel.pipeline().get(SslHandler.class).handshakeFuture().get(5, TimeUnit.SECONDS);
        return channel;
    }

    /** A frame header announcing {@code length} bytes, then {@code body}. */
    static ByteBuf frame(int length, byte[] body) {
        return Unpooled.buffer().writeInt(length).writeBytes(body);
    }

    /** Listens on loopback as a node that stops reading after the handshake, with a small receive buffer. */
    InetSocketAddress listenWithoutReading() throws Exception {
        channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.SO_RCVBUF, 16 * 1024)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = new SslHandler(tls.serverEngine(ch.alloc()));
                        ssl.handshakeFuture().addListener(done -> ch.config().setAutoRead(false));
                        ch.pipeline().addLast(ssl);
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() throws Exception {
        if (channel != null) {
            channel.close().await(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
}
