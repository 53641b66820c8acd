package io.hyphae.transport.tcp;

import io.hyphae.api.NodeId;
import io.hyphae.wire.WireLimits;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;

/**
 * The event loops, the listening socket and the dialling bootstrap of a TCP transport, and the pipeline every
 * connection gets: TLS, idle timer, then {@link TcpHandler}, which cuts frames bounded by
 * {@link WireLimits#MAX_FRAME_BYTES}. Epoll when the native transport loads, NIO otherwise.
 */
final class TcpSockets {
    private final EventLoopGroup group;
    private final Channel server;
    private final Bootstrap client;
    private final TcpTransport owner;

    private TcpSockets(EventLoopGroup group, Channel server, Bootstrap client, TcpTransport owner) {
        this.group = group;
        this.server = server;
        this.client = client;
        this.owner = owner;
    }

    /**
     * Binds the listening socket, waiting at most {@code settings.bindTimeoutMs()} (a local operation).
     *
     * @throws IllegalStateException naming the address when binding failed or took too long
     */
    static TcpSockets bind(TcpSettings settings, TcpTls tls, TcpTransport owner) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(settings.ioThreads(), threads(), io);
        Class<? extends ServerChannel> serverType = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        Class<? extends SocketChannel> clientType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        ChannelFuture bound = new ServerBootstrap().group(group).channel(serverType)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        pipeline(channel, tls.serverEngine(channel.alloc()), settings, owner);
                    }
                })
                .bind(settings.bindHost(), settings.port());
        try {
            if (!bound.await(settings.bindTimeoutMs()) || !bound.isSuccess()) {
                throw new IllegalStateException("cannot bind TCP " + settings.bindHost() + ":" + settings.port()
                        + (bound.isDone() ? ": " + bound.cause() : " within " + settings.bindTimeoutMs() + " ms"),
                        bound.cause());
            }
        } catch (InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            bound.channel().close();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e instanceof RuntimeException r ? r : new IllegalStateException("interrupted while binding", e);
        }
        Bootstrap client = new Bootstrap().group(group).channel(clientType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeoutMs());
        return new TcpSockets(group, bound.channel(), client, owner);
    }

    InetSocketAddress serverAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Dials {@code address}, refusing any server but {@code node}; {@code dial} completes on the handshake. */
    ChannelFuture connect(InetSocketAddress address, NodeId node, CompletableFuture<TcpConnection> dial) {
        TcpTls tls = owner.tls();
        TcpSettings settings = owner.settings();
        return client.clone()
                .attr(Connections.DIAL, dial)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        pipeline(channel, tls.clientEngine(channel.alloc(), node), settings, owner);
                    }
                })
                .connect(address);
    }

    /** Closes {@code connections} (TLS close_notify), the listening socket and the event loops; never blocks. */
    CompletableFuture<Void> close(List<Channel> connections) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger open = new AtomicInteger(connections.size() + 1);
        Runnable oneClosed = () -> {
            if (open.decrementAndGet() == 0) {
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> done.complete(null));
            }
        };
        server.close().addListener(f -> oneClosed.run());
        for (Channel connection : connections) {
            connection.close().addListener(f -> oneClosed.run());
        }
        return done;
    }

    private static void pipeline(SocketChannel channel, SSLEngine engine, TcpSettings settings, TcpTransport owner) {
        SslHandler tls = new SslHandler(engine);
        tls.setHandshakeTimeoutMillis(settings.connectTimeoutMs());
        channel.pipeline().addLast(tls,
                new IdleStateHandler(settings.idleTimeoutMs(), 0, 0, TimeUnit.MILLISECONDS),
                new TcpHandler(owner));
    }

    private static ThreadFactory threads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new FastThreadLocalThread(task, "hyphae-transport-tcp-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
