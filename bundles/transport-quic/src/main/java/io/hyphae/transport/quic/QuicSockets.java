package io.hyphae.transport.quic;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
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
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelBootstrap;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicConnectionIdGenerator;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.SegmentedDatagramPacketAllocator;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;

/**
 * The event loops and the one UDP socket of a QUIC transport, bound to the configured port: it accepts connections
 * and dials out alike, so a peer sees a node's dials come from the port it advertises (what NAT traversal needs).
 * Netty's QUIC codecs are either a server or a client codec, each consuming every datagram of its channel, so the
 * socket's pipeline is {@code [QuicRoleDispatcher, server codec, client entry, client codec]}: the dispatcher gives a
 * datagram to the client codec when its destination connection id has the form this socket's dials chose ({@link
 * QuicClientIds}), to the server codec otherwise. A dial that chose another id would never hear its handshake answer,
 * so dials go through {@link #dial}, which sets the id; the socket itself is not handed out. Epoll when the native
 * transport loads, NIO otherwise.
 */
final class QuicSockets {
    /** Connection-level receive window; quiche grows it on demand. */
    static final long INITIAL_MAX_DATA = 16L << 20;
    /** Per-stream receive window: room for the largest frame and the next one. */
    static final long INITIAL_MAX_STREAM_DATA = 4L << 20;

    private final EventLoopGroup group;
    private final Channel socket;
    private final QuicClientIds ids;
    private final SegmentedDatagramPacketAllocator gso;

    private QuicSockets(EventLoopGroup group, Channel socket, QuicClientIds ids, SegmentedDatagramPacketAllocator gso) {
        this.group = group;
        this.socket = socket;
        this.ids = ids;
        this.gso = gso;
    }

    /**
     * Binds the socket, waiting at most {@code settings.bindTimeoutMs()} (a local operation); {@code malformed}
     * counts datagrams the dispatcher finds cut short.
     *
     * @throws IllegalStateException naming the address when binding failed or took too long
     */
    static QuicSockets bind(QuicSettings settings, QuicTls tls, ChannelHandler connectionInit,
            ChannelHandler streamInit, LongAdder malformed) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(settings.ioThreads(), threads(), io);
        try {
            QuicClientIds ids = new QuicClientIds();
            SegmentedDatagramPacketAllocator gso = gso(epoll, settings.gsoSegments());
            QuicServerCodecBuilder server = configure(new QuicServerCodecBuilder(), settings)
                    .option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, gso)
                    .connectionIdAddressGenerator(ids.serverIdGenerator(QuicConnectionIdGenerator.signGenerator()))
                    .sslContext(tls.serverContext())
                    .tokenHandler(null) // no Retry round trip; quiche still limits amplification 3x
                    .handler(connectionInit)
                    .streamHandler(streamInit);
            QuicClientCodecBuilder client = configure(new QuicClientCodecBuilder(), settings)
                    .sslEngineProvider(tls::clientEngine);
            ChannelHandler roles = new ChannelInitializer<>() {
                @Override
                protected void initChannel(Channel channel) { // codecs built here are freed with the channel
                    QuicRoleDispatcher dispatcher = new QuicRoleDispatcher(ids, malformed);
                    channel.pipeline().addLast(dispatcher, server.build(), dispatcher.clientEntry(), client.build());
                }
            };
            return new QuicSockets(group, bindUdp(group, epoll, settings, roles), ids, gso);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.localAddress();
    }

    /** The form of this socket's dial ids. */
    QuicClientIds ids() {
        return ids;
    }

    /**
     * Dials {@code remote} from the socket; {@code setup} adds handlers and attributes. The connection gets a fresh
     * client id after {@code setup}, so no dial goes out without one.
     */
    Future<QuicChannel> dial(InetSocketAddress remote, UnaryOperator<QuicChannelBootstrap> setup) {
        return setup.apply(QuicChannel.newBootstrap(socket))
                .option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, gso)
                .localConnectionAddress(ids.newClientAddress())
                .remoteAddress(remote)
                .connect();
    }

    /**
     * Closes {@code connections} with a QUIC application close (the peers learn it at once), then the socket and
     * the event loops. Never blocks; the stage completes when the event loops have stopped.
     */
    CompletableFuture<Void> close(List<QuicChannel> connections) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        AtomicInteger open = new AtomicInteger(connections.size() + 1);
        Runnable oneClosed = () -> {
            if (open.decrementAndGet() == 0) {
                socket.close();
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
        return builder.localConnectionIdLength(QuicClientIds.LENGTH) // both roles: the dispatcher reads one length
                .maxIdleTimeout(settings.idleTimeoutMs(), TimeUnit.MILLISECONDS)
                .maxSendUdpPayloadSize(settings.maxUdpPayloadBytes())
                .maxRecvUdpPayloadSize(settings.maxUdpPayloadBytes())
                .initialMaxData(INITIAL_MAX_DATA)
                .initialMaxStreamDataUnidirectional(INITIAL_MAX_STREAM_DATA)
                .initialMaxStreamsUnidirectional(settings.maxStreams())
                .initialMaxStreamsBidirectional(0)
                .activeMigration(false);
    }

    private static Channel bindUdp(EventLoopGroup group, boolean epoll, QuicSettings settings,
            ChannelHandler roles) {
        int port = settings.port();
        Class<? extends DatagramChannel> type = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        ChannelFuture bound = new Bootstrap().group(group).channel(type)
                .option(ChannelOption.SO_RCVBUF, settings.socketBufferBytes())
                .option(ChannelOption.SO_SNDBUF, settings.socketBufferBytes())
                .handler(roles)
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

    /**
     * How a connection hands a flush's packets to the kernel: up to {@code segments} of them in one send with
     * UDP_SEGMENT (GSO) on epoll where the kernel has it, which costs the kernel's UDP path once instead of per packet
     * (a 16 KiB batch is about 12 packets; bench/, #6). One by one otherwise.
     */
    static SegmentedDatagramPacketAllocator gso(boolean epoll, int segments) {
        return epoll && segments > 0 ? EpollQuicUtils.newSegmentedAllocator(segments)
                : SegmentedDatagramPacketAllocator.NONE;
    }

    /** Whether this socket's connections send with GSO. */
    boolean segmented() {
        return gso != SegmentedDatagramPacketAllocator.NONE;
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
