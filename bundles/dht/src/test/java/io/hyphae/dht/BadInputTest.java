package io.hyphae.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyphae.api.NodeId;
import io.hyphae.identity.Ed25519Identity;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.transport.mem.MemTransport;
import io.hyphae.transport.mem.VirtualNetwork;
import io.hyphae.wire.Frames;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BadInputTest {
    @Test
    void hostileNodesDoNotBreakLookups() {
        Mesh mesh = Mesh.of(80, 99);
        Set<NodeId> hostile = new HashSet<>();
        // nodes whose FIND_NODE answers are detectably bad; the others answer FIND_NODE validly (if uselessly)
        Set<NodeId> badNodeAnswers = new HashSet<>();
        HostileHandler.Kind[] kinds = HostileHandler.Kind.values();
        for (int i = 0; i < 12; i++) {
            KademliaDht node = mesh.nodes.get(1 + i * 6);
            HostileHandler.Kind kind = kinds[i % kinds.length];
            mesh.turnHostile(node, new HostileHandler(kind, mesh.random, mesh.time::now));
            hostile.add(node.localId());
            if (kind == HostileHandler.Kind.TOO_MANY_CONTACTS || kind == HostileHandler.Kind.NEVER_ANSWERS
                    || kind == HostileHandler.Kind.WRONG_TYPE) {
                badNodeAnswers.add(node.localId());
            }
        }
        Ed25519Identity publisher = Ed25519Identity.generate();
        Key key = Key.of(Ids.random(mesh.random));
        Record record = Records.signed(publisher, key, 1, mesh.time.now().plusSeconds(300));
        mesh.await(honest(mesh, hostile).store(record));

        for (int i = 0; i < 25; i++) {
            KademliaDht asker = honest(mesh, hostile);
            Key target = Key.of(Ids.random(mesh.random));
            List<Contact> found = mesh.await(asker.findNode(target));

            List<NodeId> truth = mesh.bruteForceClosest(target, 20, asker.localId(), badNodeAnswers);
            List<NodeId> ids = found.stream().map(Contact::nodeId).toList();
            // hostile nodes that answer with empty lists hide a node now and then, as they would in any Kademlia
            assertThat(ids).doesNotContainAnyElementsOf(badNodeAnswers).hasSizeGreaterThanOrEqualTo(18);
            assertThat(ids.subList(0, 5)).containsExactlyElementsOf(truth.subList(0, 5));
            assertThat(ids.stream().filter(truth::contains).count()).isGreaterThanOrEqualTo(17);
            assertThat(mesh.await(honest(mesh, hostile).findValue(key))).containsExactly(record);
            // forgers answer every key with records that must not come through
            assertThat(mesh.await(asker.findValue(target))).isEmpty();
        }
        assertThat(mesh.total("dht.bad.answers")).isPositive();
        assertThat(mesh.total("dht.records.rejected")).isPositive();
        assertThat(mesh.total("dht.rpc.timeouts")).isPositive();
    }

    @Test
    void requestWhoseSenderIsNotThePeerIsRefusedAndCounted() {
        Mesh mesh = Mesh.of(3, 1);
        KademliaDht node = mesh.nodes.get(0);
        NodeId liar = Ids.random(mesh.random);
        MemTransport liarTransport = mesh.attach(liar);
        Contact claimed = Ids.contact(Ids.random(mesh.random));

        var answer = liarTransport.request(node.contact().endpoints().get(0), new Frames.FindNode(claimed,
                Key.of(liar)), Duration.ofSeconds(2)).toCompletableFuture();
        mesh.time.advance(Duration.ofSeconds(1));

        // the mem transport fails a request answered with an error frame, naming its code
        assertThat(answer).isCompletedExceptionally();
        assertThatThrownBy(answer::join).hasMessageContaining("BAD_REQUEST");
        assertThat(node.stats().get("dht.bad.requests")).isEqualTo(1);
        assertThat(node.routingTable().contains(claimed.nodeId())).isFalse();
        assertThat(node.routingTable().contains(liar)).isFalse();
    }

    @Test
    void storeOfForgedRecordIsRefusedLocally() {
        Mesh mesh = Mesh.of(2, 2);
        Ed25519Identity publisher = Ed25519Identity.generate();
        Key key = Key.of(Ids.random(mesh.random));
        Record good = Records.signed(publisher, key, 1, mesh.time.now().plusSeconds(60));
        Record forged = new Record(key, publisher.nodeId(), 2, good.expiresAt(), good.value(), good.publicKey(),
                good.signature());

        var stage = mesh.nodes.get(1).store(forged).toCompletableFuture();
        mesh.time.advance(Duration.ofSeconds(1));

        assertThat(stage).isCompletedExceptionally();
    }

    @Test
    void joinRetriesWithBackoffUntilTheBootstrapAnswers() {
        Mesh mesh = Mesh.of(5, 3);
        VirtualNetwork.Partition bootstrapDown = mesh.cutOff(mesh.nodes.get(0));
        KademliaDht late = mesh.add(Ids.random(mesh.random));
        mesh.time.advance(Duration.ofSeconds(20));
        assertThat(late.joined()).isFalse();
        assertThat(late.stats().get("dht.join.attempts")).isGreaterThanOrEqualTo(3);

        bootstrapDown.heal();
        mesh.time.advance(Duration.ofSeconds(90));

        assertThat(late.joined()).isTrue();
        assertThat(late.routingTable().size()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void bootstrapListCanChangeWithoutRestart() {
        Mesh mesh = Mesh.of(5, 4);
        KademliaDht lonely = mesh.add(Ids.random(mesh.random), List.of());
        mesh.time.advance(Duration.ofSeconds(5));
        assertThat(lonely.routingTable().size()).isZero();

        lonely.updateBootstrap(List.of(mesh.bootstrapEndpoint()));
        mesh.time.advance(Duration.ofSeconds(5));

        assertThat(lonely.routingTable().size()).isEqualTo(5);
    }

    private static KademliaDht honest(Mesh mesh, Set<NodeId> hostile) {
        while (true) {
            KademliaDht node = mesh.any();
            if (!hostile.contains(node.localId())) {
                return node;
            }
        }
    }
}
