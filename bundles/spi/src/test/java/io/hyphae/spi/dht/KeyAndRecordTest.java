package io.hyphae.spi.dht;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.NodeId;
import io.hyphae.api.Topic;
import io.hyphae.spi.pubsub.Signatures;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyAndRecordTest {

    @Test
    void topicKeyIsSha256OfRealmAndTopic() throws Exception {
        byte[] expected = MessageDigest.getInstance("SHA-256")
                .digest("hyphae/topic/default/a.b".getBytes(StandardCharsets.UTF_8));
        assertThat(Key.ofTopic("default", Topic.of("a.b")).toBytes()).isEqualTo(expected);
        assertThat(Key.ofTopic("other", Topic.of("a.b"))).isNotEqualTo(Key.ofTopic("default", Topic.of("a.b")));
    }

    @Test
    void signedRecordVerifiesAndTamperingIsDetected() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] publicKey = pair.getPublic().getEncoded();
        NodeId publisher = NodeId.ofPublicKey(publicKey);
        Key key = Key.ofTopic("default", Topic.of("t"));
        Instant expires = Instant.parse("2026-01-01T00:05:00Z");
        byte[] value = {1, 2, 3};
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(pair.getPrivate());
        signer.update(Record.signedBytes(key, publisher, 7, expires, value));
        Record record = new Record(key, publisher, 7, expires, value, publicKey, signer.sign());

        assertThat(Signatures.verify(publisher, record.publicKey(), record.signedBytes(), record.signature())).isTrue();

        Record higherSeq = new Record(key, publisher, 8, expires, value, publicKey, record.signature());
        assertThat(Signatures.verify(publisher, publicKey, higherSeq.signedBytes(), higherSeq.signature())).isFalse();

        NodeId impostor = NodeId.ofPublicKey(new byte[] {9});
        assertThat(Signatures.verify(impostor, publicKey, record.signedBytes(), record.signature())).isFalse();
        assertThat(Signatures.verify(publisher, publicKey, record.signedBytes(), new byte[3])).isFalse();
        assertThat(Signatures.verify(NodeId.ofPublicKey(new byte[] {1}), new byte[] {1}, new byte[0], new byte[0]))
                .isFalse();
    }

    @Test
    void recordsAreValuesWithCopiedArrays() {
        byte[] value = {1};
        Record r = new Record(Key.of(new byte[32]), NodeId.of(new byte[32]), 1, Instant.EPOCH, value, new byte[1],
                new byte[1]);
        value[0] = 5;
        assertThat(r.value()).containsExactly(1);
        assertThat(r).isEqualTo(new Record(Key.of(new byte[32]), NodeId.of(new byte[32]), 1, Instant.EPOCH,
                new byte[] {1}, new byte[1], new byte[1]));
        assertThat(r.isExpired(Instant.EPOCH)).isTrue();
        assertThat(r.isExpired(Instant.EPOCH.minusMillis(1))).isFalse();
    }
}
