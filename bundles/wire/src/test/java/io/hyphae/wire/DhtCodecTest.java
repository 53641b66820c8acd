package io.hyphae.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.transport.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The DHT fast path writes what the general writer writes and reads a strict subset of what the general reader reads. */
class DhtCodecTest {
    private static final List<Class<?>> DHT_FRAMES = List.of(Frames.Ping.class, Frames.Pong.class, Frames.Store.class,
            Frames.Stored.class, Frames.FindNode.class, Frames.Nodes.class, Frames.FindValue.class,
            Frames.Values.class);
    private final FrameCodec codec = new FrameCodec();
    private final SplittableRandom random = new SplittableRandom(4);

    @Test
    void writesTheBytesOfTheGeneralWriterAndReadsThemBack() throws IOException {
        RandomPackets packets = new RandomPackets(4);
        int readFast = 0;
        for (int i = 0; i < 4_000; i++) {
            Packet packet = packets.packet(DHT_FRAMES.get(i % DHT_FRAMES.size()));
            byte[] general = general(packet);

            assertThat(DhtCodec.encode(packet)).as("fast encoding of %s", packet).isEqualTo(general);
            Packet read = DhtCodec.decode(general, 0, general.length);
            if (read != null) {
                readFast++;
                assertThat(read).isEqualTo(packet);
            } else {
                assertThat(hasIpv6Endpoint(packet)).as("only IPv6 hosts go the long way: %s", packet).isTrue();
            }
            assertThat(codec.decode(general)).isEqualTo(packet);
        }
        assertThat(readFast).isGreaterThan(1_000);
    }

    @Test
    void readsMemAnswersOfTwentyContacts() throws IOException {
        List<Contact> contacts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            NodeId id = nodeId();
            contacts.add(new Contact(id, List.of(new Endpoint("mem", "h" + i, 1, id))));
        }
        Packet packet = Packet.response(7, new Frames.Nodes(contacts));
        byte[] bytes = codec.encode(packet);

        assertThat(bytes).isEqualTo(general(packet));
        assertThat(DhtCodec.decode(bytes, 0, bytes.length)).isEqualTo(packet);
    }

    @Test
    void takesNothingTheGeneralReaderRefusesOrReadsOtherwise() throws IOException {
        RandomPackets packets = new RandomPackets(5);
        int taken = 0;
        for (int i = 0; i < 40_000; i++) {
            Packet packet = packets.packet(DHT_FRAMES.get(i % DHT_FRAMES.size()));
            byte[] bytes = mutate(general(packet));
            Packet fast = DhtCodec.decode(bytes, 0, bytes.length);
            if (fast == null) {
                continue;
            }
            taken++;
            assertThat(codec.decodeGeneral(bytes, 0, bytes.length)).as("bytes %s", Arrays.toString(bytes))
                    .isEqualTo(fast);
        }
        assertThat(taken).isPositive();
    }

    @Test
    void leavesEndpointsNamingAnotherNodeOrOddlyWrittenToTheGeneralReader() throws IOException {
        NodeId id = nodeId();
        NodeId other = nodeId();
        for (String text : List.of("mem://h:1/" + other.toHex(), "mem://h:01/" + id.toHex(), "mem://h:+1/" + id.toHex(),
                "mem://h:70000/" + id.toHex(), "mem://:1/" + id.toHex(), "Mem://h:1/" + id.toHex(),
                "mem:/h:1/" + id.toHex(), "mem://h:1/" + id.toHex().toUpperCase(java.util.Locale.ROOT),
                "mem://h h:1/" + id.toHex(), "mem://[::1]:1/" + id.toHex(), "mem://h:1/" + id.toHex() + "0")) {
            byte[] bytes = pingWithEndpoint(id, text);
            Packet fast = DhtCodec.decode(bytes, 0, bytes.length);
            Packet general;
            try {
                general = codec.decodeGeneral(bytes, 0, bytes.length);
            } catch (WireException e) {
                assertThat(fast).as("%s is refused by the general reader", text).isNull();
                continue;
            }
            if (fast != null) {
                assertThat(fast).as(text).isEqualTo(general);
            }
        }
    }

    private byte[] pingWithEndpoint(NodeId id, String endpoint) {
        return new CborBytes().array(5).uint(1).uint(0).uint(3).uint(0)
                .array(2).bytes(id.toBytes()).array(1).text(endpoint).build();
    }

    private static boolean hasIpv6Endpoint(Packet packet) {
        List<Contact> contacts = new ArrayList<>();
        WireFrame f = packet.frame();
        if (f instanceof Frames.Ping p) {
            contacts.add(p.sender());
        } else if (f instanceof Frames.Pong p) {
            contacts.add(p.sender());
        } else if (f instanceof Frames.Store s) {
            contacts.add(s.sender());
        } else if (f instanceof Frames.FindNode n) {
            contacts.add(n.sender());
        } else if (f instanceof Frames.FindValue v) {
            contacts.add(v.sender());
        } else if (f instanceof Frames.Nodes n) {
            contacts.addAll(n.contacts());
        } else if (f instanceof Frames.Values v) {
            contacts.addAll(v.closer());
        }
        return contacts.stream().flatMap(c -> c.endpoints().stream()).anyMatch(e -> e.host().contains(":"));
    }

    private NodeId nodeId() {
        byte[] b = new byte[NodeId.BYTES];
        random.nextBytes(b);
        return NodeId.of(b);
    }

    private byte[] mutate(byte[] bytes) {
        byte[] copy = bytes.clone();
        switch (random.nextInt(4)) {
            case 0 -> copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
            case 1 -> copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
            case 2 -> copy = Arrays.copyOf(copy, random.nextInt(copy.length));
            default -> {
                copy = Arrays.copyOf(copy, copy.length + 1);
                copy[copy.length - 1] = (byte) random.nextInt(256);
            }
        }
        return copy;
    }

    private byte[] general(Packet packet) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.encode(packet, out);
        return out.toByteArray();
    }
}
