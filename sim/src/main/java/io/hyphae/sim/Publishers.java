package io.hyphae.sim;

import io.hyphae.api.NodeId;
import io.hyphae.identity.Ed25519Identity;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The keys of the workload and, under each, several publishers with an Ed25519 identity each (records are really
 * signed and verified). Keys pairs come from a seeded SHA1PRNG and Ed25519 signatures are deterministic, so a run
 * replays exactly. Not thread safe.
 */
final class Publishers {
    private final List<Key> keys = new ArrayList<>();
    private final List<List<Ed25519Identity>> publishers = new ArrayList<>();
    private final long[][] seqs;

    Publishers(List<Key> keys, int perKey, long seed) {
        KeyPairGenerator generator = generator(seed);
        this.seqs = new long[keys.size()][perKey];
        for (Key key : keys) {
            this.keys.add(key);
            List<Ed25519Identity> ofKey = new ArrayList<>(perKey);
            for (int p = 0; p < perKey; p++) {
                ofKey.add(Ed25519Identity.of(generator.generateKeyPair()));
            }
            publishers.add(ofKey);
        }
    }

    private static KeyPairGenerator generator(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed); // before any output: SHA1PRNG then draws from this seed alone
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, random);
            return generator;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA1PRNG or Ed25519, both required since Java 15", e);
        }
    }

    int keyCount() {
        return keys.size();
    }

    int perKey() {
        return seqs.length == 0 ? 0 : seqs[0].length;
    }

    Key key(int k) {
        return keys.get(k);
    }

    /** The next record of publisher {@code p} under key {@code k}: seq one higher, expiring {@code ttlSeconds} on. */
    Record next(int k, int p, Instant now, long ttlSeconds) {
        Ed25519Identity publisher = publishers.get(k).get(p);
        long seq = ++seqs[k][p];
        Key key = keys.get(k);
        Instant expiresAt = now.plusSeconds(ttlSeconds);
        byte[] value = ("subscriber " + p + " of key " + k + " #" + seq).getBytes(StandardCharsets.UTF_8);
        byte[] signature = publisher.sign(Record.signedBytes(key, publisher.nodeId(), seq, expiresAt, value));
        return new Record(key, publisher.nodeId(), seq, expiresAt, value, publisher.publicKey().getEncoded(),
                signature);
    }

    /** Ids of the publishers under key {@code k}. */
    Set<NodeId> publishersOf(int k) {
        Set<NodeId> ids = new HashSet<>();
        for (Ed25519Identity identity : publishers.get(k)) {
            ids.add(identity.nodeId());
        }
        return ids;
    }
}
