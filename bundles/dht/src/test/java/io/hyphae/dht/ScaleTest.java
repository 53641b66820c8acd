package io.hyphae.dht;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.NodeId;
import io.hyphae.identity.Ed25519Identity;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScaleTest {
    @Test
    void meanHopsAtThousandNodesIsAtMostFour() {
        Mesh mesh = new Mesh(1000, DhtSettings.defaults());
        for (int i = 0; i < 1000; i++) {
            mesh.add(TestIdentity.random(mesh.random).nodeId());
            mesh.time.advance(Duration.ofMillis(100));
        }
        mesh.time.advance(Duration.ofSeconds(60));

        double[] figures = LookupFigures.measure(mesh, 300);

        assertThat(figures[0]).isLessThanOrEqualTo(4.0);
    }

    @Test
    void aNewCloserNodeReceivesTheRecordsOfItsKeys() {
        Mesh mesh = Mesh.of(60, 8);
        Ed25519Identity publisher = Ed25519Identity.generate();
        Key key = Key.of(Ids.random(mesh.random));
        Record record = Records.signed(publisher, key, 1, mesh.time.now().plusSeconds(600));
        mesh.await(mesh.any().store(record));
        byte[] id = key.toBytes();
        id[31] ^= 1;

        KademliaDht closest = mesh.add(NodeId.of(id));
        mesh.time.advance(Duration.ofSeconds(10));

        assertThat(closest.recordStore().live(key, mesh.time.now())).containsExactly(record);
    }

    @Test
    void idleBucketsAreRefreshed() {
        Mesh mesh = new Mesh(5, DhtSettings.defaults().withIntervals(60_000, 3_600_000));
        mesh.grow(20);
        KademliaDht node = mesh.nodes.get(3);
        long before = node.stats().get("dht.lookups");

        mesh.time.advance(Duration.ofMinutes(3));

        assertThat(node.stats().get("dht.lookups")).isGreaterThan(before);
    }
}
