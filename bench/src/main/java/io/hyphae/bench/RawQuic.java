package io.hyphae.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicClientCodecBuilder;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicServerCodecBuilder;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.codec.quic.QuicStreamType;
import io.netty.handler.codec.quic.SegmentedDatagramPacketAllocator;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.netty.util.internal.PlatformDependent;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The ceiling: plain Netty QUIC with the settings Hyphae's QUIC transport uses (epoll, 1350-byte UDP payloads, 1 MiB
 * socket buffers, 16 MiB / 4 MiB initial windows, one event loop per side), TLS 1.3 with an EC certificate, one
 * long-lived bidirectional stream; as Hyphae's transport does, the publisher's frames wait in a lock-free queue that
 * one loop task drains, and the frames of one event loop turn are gathered into one write (up to 16 KiB). Frames are {@code [4-byte length][kind][8-byte id][payload]}; a request is
 * answered by {@code [4-byte length][8-byte id]} on the same stream, acks arrive in order. No codec, no request
 * table, no identity check: what is left is QUIC and the event loops.
 */
final class RawQuic {
    static final String ALPN = "hyphae-bench";
    static final int UDP_PAYLOAD = 1350;
    static final int SOCKET_BUFFER = 1 << 20;
    private static final byte ONE_WAY = 0;
    private static final byte REQUEST = 1;
    private static final int BATCH_BYTES = 16 * 1024;

    private RawQuic() {
    }

    /** Connection and unused-stream handler: nothing to do, shared by every connection. */
    @ChannelHandler.Sharable
    private static final class Idle extends ChannelInboundHandlerAdapter {
        static final Idle INSTANCE = new Idle();
    }

    /** UDP GSO as Hyphae's QUIC transport has it by default (10 packets per send on epoll), so the ceiling has it. */
    static SegmentedDatagramPacketAllocator gso() {
        return Epoll.isAvailable() ? EpollQuicUtils.newSegmentedAllocator(10) : SegmentedDatagramPacketAllocator.NONE;
    }

    static EventLoopGroup group(String name) {
        return new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }, Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    static Channel bindUdp(EventLoopGroup group, ChannelHandler codec) throws InterruptedException {
        return new Bootstrap().group(group)
                .channel(Epoll.isAvailable() ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER).option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .handler(codec).bind("127.0.0.1", 0).sync().channel();
    }

    private static <B extends QuicCodecBuilder<B>> B configure(B builder) {
        return builder.maxIdleTimeout(10, TimeUnit.MINUTES) // --rounds keeps it idle while other paths run
                .maxSendUdpPayloadSize(UDP_PAYLOAD).maxRecvUdpPayloadSize(UDP_PAYLOAD)
                .initialMaxData(16L << 20)
                .initialMaxStreamDataBidirectionalLocal(4L << 20)
                .initialMaxStreamDataBidirectionalRemote(4L << 20)
                .initialMaxStreamsBidirectional(16)
                .activeMigration(false);
    }

    /** The receiving side: hands each frame's send time to the receiver, answers requests. */
    static final class Server implements AutoCloseable {
        private final EventLoopGroup group = group("bench-raw-server");
        private final Channel socket;
        private volatile Carrier.Receiver receiver = Carrier.Receiver.NONE;

        Server() throws Exception {
            SelfSignedCertificate cert = new SelfSignedCertificate("localhost", "EC", 256);
            QuicSslContext tls = QuicSslContextBuilder.forServer(cert.key(), null, cert.cert())
                    .applicationProtocols(ALPN).earlyData(false).build();
            ChannelHandler codec = configure(new QuicServerCodecBuilder()).sslContext(tls).tokenHandler(null)
                    .option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, gso())
                    .handler(Idle.INSTANCE)
                    .streamHandler(new ChannelInitializer<QuicStreamChannel>() {
                        @Override
                        protected void initChannel(QuicStreamChannel stream) {
                            stream.pipeline().addLast(new LengthFieldBasedFrameDecoder(4 << 20, 0, 4, 0, 4),
                                    new Answering());
                        }
                    }).build();
            socket = bindUdp(group, codec);
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.localAddress();
        }

        void receiver(Carrier.Receiver r) {
            receiver = r;
        }

        @Override
        public void close() {
            socket.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }

        private final class Answering extends SimpleChannelInboundHandler<ByteBuf> {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
                byte kind = frame.readByte();
                long id = frame.readLong();
                receiver.received(frame.getLong(frame.readerIndex()));
                if (kind == REQUEST) {
                    ctx.write(ctx.alloc().ioBuffer(12).writeInt(8).writeLong(id));
                }
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                ctx.flush();
            }
        }
    }

    /** The sending side: one connection, one stream, writes flushed once per event loop turn. */
    static final class Client implements Carrier {
        private final Server server;
        private final EventLoopGroup group = group("bench-raw-client");
        private final Channel socket;
        private QuicChannel connection;
        private QuicStreamChannel stream;
        private final ArrayDeque<CompletableFuture<Void>> awaitingAck = new ArrayDeque<>(); // loop
        /** Frames from the publisher thread; one loop task drains them all, as Hyphae's QUIC connection does. */
        private final Queue<Pending> incoming = PlatformDependent.newMpscQueue();
        private final AtomicBoolean drainScheduled = new AtomicBoolean();
        private boolean flushScheduled; // loop
        private ByteBuf batch; // loop
        private List<CompletableFuture<Void>> batchDone = new ArrayList<>(); // loop
        private long nextId; // loop
        private boolean ownsServer;

        /** A client of a server of its own, closed with it. */
        static Client withOwnServer() throws Exception {
            Client client = new Client(new Server());
            client.ownsServer = true;
            return client;
        }

        /** Binds the client socket; {@link #connect} dials. */
        Client(Server server) throws Exception {
            this.server = server;
            QuicSslContext tls = QuicSslContextBuilder.forClient()
                    .trustManager(InsecureTrustManagerFactory.INSTANCE).applicationProtocols(ALPN)
                    .earlyData(false).build();
            socket = bindUdp(group, configure(new QuicClientCodecBuilder()).sslContext(tls).build());
        }

        /** Handshake and stream; blocks the calling (non-loop) thread. */
        Client connect() throws Exception {
            connection = QuicChannel.newBootstrap(socket).handler(Idle.INSTANCE)
                    .option(QuicChannelOption.SEGMENTED_DATAGRAM_PACKET_ALLOCATOR, gso())
                    .streamHandler(Idle.INSTANCE).remoteAddress(server.address())
                    .connect().get(10, TimeUnit.SECONDS);
            stream = connection.createStream(QuicStreamType.BIDIRECTIONAL, new ChannelInitializer<QuicStreamChannel>() {
                @Override
                protected void initChannel(QuicStreamChannel s) {
                    s.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 16, 0, 4, 0, 4),
                            new SimpleChannelInboundHandler<ByteBuf>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, ByteBuf ack) {
                                    CompletableFuture<Void> next = awaitingAck.poll();
                                    if (next != null) {
                                        next.complete(null);
                                    }
                                }
                            });
                }
            }).get(10, TimeUnit.SECONDS);
            return this;
        }

        @Override
        public String name() {
            return "raw-quic";
        }

        @Override
        public String describe() {
            return "Netty QUIC, one bidi stream, request + 8-byte ack";
        }

        @Override
        public void receiver(Receiver receiver) {
            server.receiver(receiver);
        }

        @Override
        public CompletionStage<?> send(byte[] payload) {
            return enqueue(ONE_WAY, payload);
        }

        @Override
        public CompletionStage<?> request(byte[] payload) {
            return enqueue(REQUEST, payload);
        }

        private CompletableFuture<Void> enqueue(byte kind, byte[] payload) {
            Pending pending = new Pending(kind, payload, new CompletableFuture<>());
            incoming.add(pending);
            if (drainScheduled.compareAndSet(false, true)) {
                stream.eventLoop().execute(() -> {
                    drainScheduled.set(false);
                    Pending next;
                    while ((next = incoming.poll()) != null) {
                        write(next.kind, next.payload, next.done);
                    }
                });
            }
            return pending.done;
        }

        private record Pending(byte kind, byte[] payload, CompletableFuture<Void> done) {
        }

        private void write(byte kind, byte[] payload, CompletableFuture<Void> done) {
            // as Hyphae's QUIC connection does: the frames of one loop turn go to the stream as one write
            if (batch == null) {
                batch = stream.alloc().ioBuffer(Math.max(BATCH_BYTES, 13 + payload.length));
            }
            batch.writeInt(1 + 8 + payload.length).writeByte(kind).writeLong(nextId++).writeBytes(payload);
            if (kind == REQUEST) {
                awaitingAck.add(done);
            } else {
                batchDone.add(done);
            }
            if (batch.readableBytes() >= BATCH_BYTES) {
                writeBatch();
            }
            if (!flushScheduled) {
                flushScheduled = true;
                stream.eventLoop().execute(() -> {
                    flushScheduled = false;
                    writeBatch();
                    stream.flush();
                });
            }
        }

        private void writeBatch() {
            if (batch == null) {
                return;
            }
            List<CompletableFuture<Void>> done = batchDone;
            batchDone = new ArrayList<>();
            stream.write(batch).addListener((ChannelFutureListener) f -> {
                for (CompletableFuture<Void> d : done) {
                    if (f.isSuccess()) {
                        d.complete(null);
                    } else {
                        d.completeExceptionally(f.cause());
                    }
                }
            });
            batch = null;
        }

        @Override
        public void close() {
            if (connection != null) {
                connection.close().syncUninterruptibly();
            }
            socket.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            if (ownsServer) {
                server.close();
            }
        }
    }
}
