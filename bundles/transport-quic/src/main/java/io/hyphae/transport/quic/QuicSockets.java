package io.hyphae.transport.quic;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event loops and the two UDP sockets of a QUIC transport. Netty's QUIC codecs are either a server or a client
 * codec, each consuming every datagram of its channel (there is no codec that serves both roles on one socket;
 * {@code QuicCodecDispatcher} only spreads one server over several channels), so a node has a listening socket on
 * the configured port and a dialling socket on an ephemeral port of the same address. Peers identify a node by its
 * certificate, not by its source port, so this is invisible to them (NAT traversal would want one socket: TODO(#6)).
 * Epoll when the native transport loads, NIO otherwise.
 */
final class QuicSockets {
    /** Connection-level receive window; quiche grows it on demand. */
    static final long INITIAL_MAX_DATA = 16L << 20;
    /** Per-stream receive window: room for the largest frame and the next one. */
    static final long INITIAL_MAX_STREAM_DATA = 4L << 20;

    private final EventLoopGroup group;
    private final Channel server;
    private final Channel client;

    private QuicSockets(EventLoopGroup group, Channel server, Channel client) {
        this.group = group;
        this.server = server;
        this.client = client;
    }

    /**
     * Binds both sockets, waiting at most {@code settings.bindTimeoutMs()} for each (a local operation).
     *
     * @throws IllegalStateException naming the address when binding failed or took too long
     */
    static QuicSockets bind(QuicSettings settings, QuicTls tls, ChannelHandler connectionInit,
            ChannelHandler streamInit) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(settings.ioThreads(), threads(), io);
        try {
            ChannelHandler serverCodec = configure(new QuicServerCodecBuilder(), settings)
                    .sslContext(tls.serverContext())
                    .tokenHandler(null) // no Retry round trip; quiche still limits amplification 3x
                    .handler(connectionInit)
                    .streamHandler(streamInit)
                    .build();
            ChannelHandler clientCodec = configure(new QuicClientCodecBuilder(), settings)
                    .sslEngineProvider(tls::clientEngine)
                    .build();
            Channel server = bindUdp(group, epoll, settings, serverCodec, settings.port());
            Channel client;
            try {
                client = bindUdp(group, epoll, settings, clientCodec, 0);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return new QuicSockets(group, server, client);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    InetSocketAddress serverAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    Channel client() {
        return client;
    }

    /**
     * Closes {@code connections} with a QUIC application close (the peers learn it at once), then the sockets and
     * the event loops. Never blocks; the stage completes when the event loops have stopped.
     */
    CompletableFuture<Void> close(List<QuicChannel> connections) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger open = new AtomicInteger(connections.size() + 1);
        Runnable oneClosed = () -> {
            if (open.decrementAndGet() == 0) {
                server.close();
                client.close();
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> done.complete(null));
            }
        };
        for (QuicChannel connection : connections) {
            connection.close(true, 0, Unpooled.EMPTY_BUFFER).addListener(f -> oneClosed.run());
        }
        oneClosed.run();
        return done;
    }

    private static <B extends QuicCodecBuilder<B>> B configure(B builder, QuicSettings settings) {
        return builder.maxIdleTimeout(settings.idleTimeoutMs(), TimeUnit.MILLISECONDS)
                .maxSendUdpPayloadSize(settings.maxUdpPayloadBytes())
                .maxRecvUdpPayloadSize(settings.maxUdpPayloadBytes())
                .initialMaxData(INITIAL_MAX_DATA)
                .initialMaxStreamDataUnidirectional(INITIAL_MAX_STREAM_DATA)
                .initialMaxStreamsUnidirectional(settings.maxStreams())
                .initialMaxStreamsBidirectional(0)
                .activeMigration(false);
    }

    private static Channel bindUdp(EventLoopGroup group, boolean epoll, QuicSettings settings,
            ChannelHandler codec, int port) {
        Class<? extends DatagramChannel> type = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        ChannelFuture bound = new Bootstrap().group(group).channel(type)
                .option(ChannelOption.SO_RCVBUF, settings.socketBufferBytes())
                .option(ChannelOption.SO_SNDBUF, settings.socketBufferBytes())
                .handler(codec)
                .bind(settings.bindHost(), port);
        boolean finished;
        try {
            finished = bound.await(settings.bindTimeoutMs());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            bound.channel().close();
            throw new IllegalStateException("interrupted while binding UDP " + settings.bindHost() + ":" + port, e);
        }
        if (finished && bound.isSuccess()) {
            return bound.channel();
        }
        bound.channel().close();
        throw new IllegalStateException("cannot bind UDP " + settings.bindHost() + ":" + port
                + (finished ? ": " + bound.cause() : " within " + settings.bindTimeoutMs() + " ms"), bound.cause());
    }

    private static ThreadFactory threads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new FastThreadLocalThread(task, "hyphae-transport-quic-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
