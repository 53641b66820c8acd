package io.hyphae.transport.quic;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.quic.QuicConnectionIdGenerator;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routing decisions of {@link QuicRoleDispatcher} on hand-made headers, with recording sinks for the codecs. */
class QuicRoleDispatcherTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 4433);
    private final QuicClientIds ids = new QuicClientIds();
    private final LongAdder malformed = new LongAdder();
    private final Random random = new Random(42);
    private final Sink server = new Sink();
    private final Sink client = new Sink();
    private EmbeddedChannel channel;

    @BeforeEach
    void pipeline() {
        QuicRoleDispatcher dispatcher = new QuicRoleDispatcher(ids, malformed);
        channel = new EmbeddedChannel(dispatcher, server, dispatcher.clientEntry(), client);
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void packetsForAClientIdGoToTheClientWhateverTheirType() {
        byte[] id = ids.newClientId();
        List<byte[]> packets = List.of(
                shortHeader(id),
                longHeader(0xc0, 1, id), // Initial
                longHeader(0xe0, 1, id), // Handshake
                longHeader(0xd0, 1, id), // 0-RTT
                longHeader(0xf0, 1, id), // Retry
                longHeader(0x80, 0, id)); // Version Negotiation
        packets.forEach(this::receive);

        assertThat(client.reads).isEqualTo(packets.size());
        assertThat(server.reads).isZero();
        assertThat(client.readCompletes).as("each codec flushes per read batch").isEqualTo(packets.size());
        assertThat(server.readCompletes).isEqualTo(packets.size());
        assertThat(malformed.sum()).isZero();
    }

    @Test
    void everythingElseGoesToTheServer() {
        byte[] id = ids.newClientId();
        byte[] serverId = bytes(ids.serverIdGenerator(QuicConnectionIdGenerator.signGenerator())
                .newId(ByteBuffer.wrap(id), QuicClientIds.LENGTH));
        byte[] remoteInitialId = new byte[16]; // what a quiche client picks for its first Initial
        random.nextBytes(remoteInitialId);
        byte[] forged = id.clone();
        forged[forged.length - 1] ^= 1;
        List<byte[]> packets = List.of(
                shortHeader(serverId),
                longHeader(0xc0, 1, serverId),
                longHeader(0xc0, 1, remoteInitialId),
                shortHeader(forged),
                longHeader(0xc0, 1, Arrays.copyOf(id, 19))); // the right bytes, the wrong length
        packets.forEach(this::receive);

        assertThat(server.reads).isEqualTo(packets.size());
        assertThat(client.reads).isZero();
        assertThat(malformed.sum()).isZero();
    }

    @Test
    void datagramsCutShortOfTheirIdGoToTheServerAndAreCounted() {
        byte[] id = ids.newClientId();
        List<byte[]> packets = List.of(
                new byte[0],
                new byte[] {(byte) 0xc0}, // a long header flag byte alone
                new byte[] {(byte) 0xc0, 0, 0, 0, 1}, // no id length
                Arrays.copyOf(longHeader(0xc0, 1, id), 6 + id.length - 1), // id cut one byte short
                new byte[] {(byte) 0xc0, 0, 0, 0, 1, (byte) 0xff, 1, 2, 3}, // id length 255, three bytes
                Arrays.copyOf(shortHeader(id), id.length)); // short header one byte short of an id
        packets.forEach(this::receive);

        assertThat(server.reads).isEqualTo(packets.size());
        assertThat(client.reads).isZero();
        assertThat(malformed.sum()).isEqualTo(packets.size());
    }

    @Test
    void theDatagramsReaderIndexIsHonoured() {
        byte[] id = ids.newClientId();
        ByteBuf content = Unpooled.buffer().writeBytes(new byte[] {9, 9, 9}).writeBytes(shortHeader(id));
        content.skipBytes(3);
        channel.writeInbound(new DatagramPacket(content, PEER, PEER));
        assertThat(client.reads).isEqualTo(1);
    }

    @Test
    void serverIdsNeverHaveTheClientForm() {
        byte marker = ids.newClientId()[0];
        QuicConnectionIdGenerator randomIds = ids.serverIdGenerator(QuicConnectionIdGenerator.randomGenerator());
        QuicConnectionIdGenerator signed = ids.serverIdGenerator(QuicConnectionIdGenerator.signGenerator());
        byte[] input = new byte[16];
        for (int i = 0; i < 200_000; i++) {
            byte[] randomId = bytes(randomIds.newId(QuicClientIds.LENGTH));
            random.nextBytes(input);
            byte[] signedId = bytes(signed.newId(ByteBuffer.wrap(input), QuicClientIds.LENGTH));
            assertThat(randomId).hasSize(QuicClientIds.LENGTH);
            assertThat(randomId[0]).isNotEqualTo(marker);
            assertThat(signedId[0]).isNotEqualTo(marker);
        }
        // idempotent stays idempotent (Netty relies on it to map a repeated Initial to the same connection)
        assertThat(signed.isIdempotent()).isTrue();
        assertThat(bytes(signed.newId(ByteBuffer.wrap(input), QuicClientIds.LENGTH)))
                .isEqualTo(bytes(signed.newId(ByteBuffer.wrap(input), QuicClientIds.LENGTH)));
    }

    @Test
    void aServerIdThatWouldStartWithTheMarkerIsChanged() {
        byte[] markerLed = new byte[QuicClientIds.LENGTH];
        markerLed[0] = ids.newClientId()[0];
        QuicConnectionIdGenerator fixed = new QuicConnectionIdGenerator() {
            @Override
            public ByteBuffer newId(int length) {
                return ByteBuffer.wrap(markerLed.clone());
            }

            @Override
            public ByteBuffer newId(ByteBuffer input, int length) {
                return newId(length);
            }

            @Override
            public int maxConnectionIdLength() {
                return QuicClientIds.LENGTH;
            }

            @Override
            public boolean isIdempotent() {
                return true;
            }
        };
        byte[] id = bytes(ids.serverIdGenerator(fixed).newId(QuicClientIds.LENGTH));
        assertThat(id[0]).isNotEqualTo(markerLed[0]);
        assertThat(Arrays.copyOfRange(id, 1, id.length)).isEqualTo(Arrays.copyOfRange(markerLed, 1, markerLed.length));
    }

    @Test
    void clientIdsAreRecognisedAndDistinct() {
        List<ByteBuffer> seen = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            byte[] id = ids.newClientId();
            assertThat(ids.isClientId(Unpooled.wrappedBuffer(id), 0)).isTrue();
            seen.add(ByteBuffer.wrap(id));
        }
        assertThat(seen.stream().distinct()).hasSize(seen.size());
        // another socket's ids are not ours
        assertThat(new QuicClientIds().isClientId(Unpooled.wrappedBuffer(seen.get(0).array()), 0)).isFalse();
    }

    @Test
    void sipHashMatchesTheReferenceVector() {
        // SipHash paper, appendix A: key 00..0f, message 00..0e
        byte[] message = new byte[15];
        for (int i = 0; i < message.length; i++) {
            message[i] = (byte) i;
        }
        long k0 = 0x0706050403020100L;
        long k1 = 0x0f0e0d0c0b0a0908L;
        assertThat(SipHash.hash24(k0, k1, Unpooled.wrappedBuffer(message), 0, 15)).isEqualTo(0xa129ca6149be45e5L);
    }

    private void receive(byte[] packet) {
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(packet), PEER, PEER));
    }

    private byte[] shortHeader(byte[] dcid) {
        byte[] packet = new byte[1 + dcid.length + 24];
        random.nextBytes(packet);
        packet[0] = 0x43;
        System.arraycopy(dcid, 0, packet, 1, dcid.length);
        return packet;
    }

    private byte[] longHeader(int flags, int version, byte[] dcid) {
        byte[] scid = new byte[20];
        random.nextBytes(scid);
        ByteBuf out = Unpooled.buffer();
        out.writeByte(flags).writeInt(version).writeByte(dcid.length).writeBytes(dcid)
                .writeByte(scid.length).writeBytes(scid).writeZero(40);
        return bytes(out.nioBuffer());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    /** Stands for a codec: consumes what it reads, like Netty's QUIC codecs. */
    private static final class Sink extends ChannelInboundHandlerAdapter {
        int reads;
        int readCompletes;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            reads++;
            ((DatagramPacket) msg).release();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            readCompletes++;
        }
    }
}
