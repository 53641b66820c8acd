package io.hyphae.discovery;

import io.hyphae.api.NodeId;
import io.hyphae.api.Topic;
import io.hyphae.spi.dht.Key;
import io.hyphae.spi.dht.Record;
import io.hyphae.spi.pubsub.Signatures;
import io.hyphae.spi.pubsub.Subscriber;
import io.hyphae.wire.Advertisements;
import io.hyphae.wire.WireException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the records a DHT answered into the subscribers they prove. A record counts only when it sits under the
 * topic's key, has not expired, its value decodes and names its publisher, the topic and the realm, and its
 * signature verifies with a key that hashes to the publisher; the cheap checks go first. Of several records of one
 * publisher the highest seq wins, and a withdrawal wins by leaving that publisher out. This node's own record is
 * left out too: local subscribers are served without the network. Each discarded record is counted; its publisher
 * is logged once per window. Thread safe; holds no lock while verifying.
 */
final class RecordCheck {
    private static final Logger LOG = LoggerFactory.getLogger(RecordCheck.class);
    private static final Duration LOG_WINDOW = Duration.ofMinutes(1);
    private static final int MAX_LOGGED_PEERS = 1024;

    private final String realm;
    private final NodeId self;
    private final DiscoveryStats stats;
    private final OncePerWindow<NodeId> badPeers;

    RecordCheck(String realm, NodeId self, Clock clock, DiscoveryStats stats) {
        this.realm = realm;
        this.self = self;
        this.stats = stats;
        this.badPeers = new OncePerWindow<>(clock, LOG_WINDOW, MAX_LOGGED_PEERS);
    }

    /** The subscribers {@code records} prove for {@code topic}, ordered by node id. */
    Answer answer(Topic topic, List<Record> records, Instant now) {
        Key key = Key.ofTopic(realm, topic);
        Map<NodeId, Valid> newest = new HashMap<>();
        for (Record record : records) {
            Advertisements.Value value = check(record, key, topic, now);
            if (value != null) {
                newest.merge(record.publisher(), new Valid(record, value),
                        (a, b) -> a.record.seq() >= b.record.seq() ? a : b);
            }
        }
        List<Subscriber> subscribers = new ArrayList<>();
        Instant earliest = null;
        for (Valid valid : newest.values()) {
            if (valid.value.withdrawn() || valid.record.publisher().equals(self)) {
                continue;
            }
            Record r = valid.record;
            subscribers.add(new Subscriber(r.publisher(), valid.value.endpoints(), r.seq(), r.expiresAt()));
            earliest = earliest == null || r.expiresAt().isBefore(earliest) ? r.expiresAt() : earliest;
        }
        subscribers.sort(Comparator.comparing(Subscriber::nodeId));
        return new Answer(List.copyOf(subscribers), earliest);
    }

    /** The value of {@code withdrawal} when it is a valid, live, signed withdrawal in this realm; else null. */
    Advertisements.Value withdrawal(Record withdrawal, Instant now) {
        Advertisements.Value value = decode(withdrawal);
        if (value == null) {
            return null;
        }
        Advertisements.Value checked = check(withdrawal, Key.ofTopic(realm, value.topic()), value.topic(), now);
        if (checked != null && !checked.withdrawn()) {
            return reject(withdrawal, "it is an advertisement, not a withdrawal");
        }
        return checked;
    }

    private Advertisements.Value check(Record record, Key key, Topic topic, Instant now) {
        if (!record.key().equals(key)) {
            return reject(record, "record under key " + record.key() + " answered for " + topic);
        }
        if (record.isExpired(now)) {
            return reject(record, "record expired at " + record.expiresAt());
        }
        Advertisements.Value value = decode(record);
        if (value == null) {
            return null;
        }
        if (!value.nodeId().equals(record.publisher())) {
            return reject(record, "value names node " + value.nodeId().shortHex() + ", not its publisher");
        }
        if (!value.topic().equals(topic) || !value.realm().equals(realm)) {
            return reject(record, "value is for " + value.realm() + "/" + value.topic() + ", not " + realm + "/"
                    + topic);
        }
        if (!Signatures.verify(record.publisher(), record.publicKey(), record.signedBytes(), record.signature())) {
            return reject(record, "signature does not verify or the key is not the publisher's");
        }
        return value;
    }

    private Advertisements.Value decode(Record record) {
        try {
            return Advertisements.decode(record.value());
        } catch (WireException e) {
            return reject(record, "undecodable value: " + e.getMessage());
        }
    }

    private Advertisements.Value reject(Record record, String reason) {
        stats.rejectedRecords.increment();
        if (badPeers.firstInWindow(record.publisher())) {
            LOG.warn("discarding records published by {}: {}", record.publisher().shortHex(), reason);
        }
        return null;
    }

    /**
     * @param subscribers     the subscribers proven, ordered by node id
     * @param earliestExpiry  when the first of their records expires; null when there are none
     */
    record Answer(List<Subscriber> subscribers, Instant earliestExpiry) {
    }

    private record Valid(Record record, Advertisements.Value value) {
    }
}
