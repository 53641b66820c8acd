package io.hyphae.dht;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.NodeId;
import io.hyphae.identity.Ed25519Identity;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DhtNetworkTest {
    private Mesh mesh;

    @BeforeAll
    void hundredNodesJoinThroughOneBootstrap() {
        mesh = Mesh.of(100, 42);
    }

    @Test
    void everyNodeJoinedAndKnowsPeers() {
        for (KademliaDht node : mesh.nodes) {
            assertThat(node.joined()).as("%s joined", node).isTrue();
            assertThat(node.routingTable().size()).as("%s table", node).isGreaterThanOrEqualTo(20);
        }
    }

    @Test
    void findNodeReturnsTheTrueKClosest() {
        for (int i = 0; i < 30; i++) {
            KademliaDht asker = mesh.any();
            Key target = Key.of(Ids.random(mesh.random));

            List<Contact> found = mesh.await(asker.findNode(target));

            assertThat(found).extracting(Contact::nodeId)
                    .containsExactlyElementsOf(mesh.bruteForceClosest(target, 20, asker.localId(), Set.of()));
        }
    }

    @Test
    void storedRecordIsFoundFromAnyNode() {
        Ed25519Identity publisher = Ed25519Identity.generate();
        Key key = Key.of(Ids.random(mesh.random));
        Record record = Records.signed(publisher, key, 1, mesh.time.now().plusSeconds(300));

        int accepted = mesh.await(mesh.any().store(record));

        assertThat(accepted).isGreaterThanOrEqualTo(15);
        for (int i = 0; i < 10; i++) {
            assertThat(mesh.await(mesh.any().findValue(key))).containsExactly(record);
        }
    }

    @Test
    void recordsOfThirtyPublishersAreAllReturned() {
        Key key = Key.of(Ids.random(mesh.random));
        List<Record> stored = storeFromPublishers(key, 30);

        List<Record> found = mesh.await(mesh.any().findValue(key));

        assertThat(found).containsExactlyInAnyOrderElementsOf(stored);
    }

    @Test
    void recordsOfMorePublishersThanAPageArePaged() {
        Key key = Key.of(Ids.random(mesh.random));
        List<Record> stored = storeFromPublishers(key, 150);

        LookupResult result = mesh.await(mesh.any().lookupValue(key));

        assertThat(result.records()).containsExactlyInAnyOrderElementsOf(stored);
        assertThat(result.stats().rpcs()).isGreaterThan(result.stats().holders());
    }

    @Test
    void higherSeqReplacesThePublishersRecord() {
        Ed25519Identity publisher = Ed25519Identity.generate();
        Key key = Key.of(Ids.random(mesh.random));
        Instant expiry = mesh.time.now().plusSeconds(300);
        mesh.await(mesh.any().store(Records.signed(publisher, key, 1, expiry)));
        Record second = Records.signed(publisher, key, 2, expiry);
        mesh.await(mesh.any().store(second));

        assertThat(mesh.await(mesh.any().findValue(key))).containsExactly(second);
    }

    @Test
    void recordsExpireAtTheirTtl() {
        Ed25519Identity publisher = Ed25519Identity.generate();
        Key key = Key.of(Ids.random(mesh.random));
        mesh.await(mesh.any().store(Records.signed(publisher, key, 1, mesh.time.now().plusSeconds(60))));
        assertThat(mesh.await(mesh.any().findValue(key))).hasSize(1);

        mesh.time.advance(Duration.ofSeconds(61));

        assertThat(mesh.await(mesh.any().findValue(key))).isEmpty();
    }

    @Test
    void meanHopsAtHundredNodesIsAtMostFour() {
        double[] figures = LookupFigures.measure(mesh, 200);

        assertThat(figures[0]).isLessThanOrEqualTo(4.0);
    }

    private List<Record> storeFromPublishers(Key key, int publishers) {
        List<Record> stored = new ArrayList<>();
        Instant expiry = mesh.time.now().plusSeconds(300);
        for (int i = 0; i < publishers; i++) {
            Record r = Records.signed(Ed25519Identity.generate(), key, 1, expiry);
            stored.add(r);
            mesh.await(mesh.any().store(r));
        }
        return stored;
    }

}
