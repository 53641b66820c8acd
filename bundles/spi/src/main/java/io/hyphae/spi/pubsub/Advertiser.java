package io.hyphae.spi.pubsub;

import io.hyphae.api.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Keeps this node's subscriber records in the DHT: stores a signed record per advertised topic and re-stores it
 * before it expires, and when the node's endpoints change. Thread safe; never blocks on the network.
 */
@ProviderType
public interface Advertiser {
    /**
     * Advertises this node under {@code topic} until {@link #cancel}. Advertising a topic twice keeps one record and
     * one timer, and answers the current advertisement.
     */
    Advertisement advertise(Topic topic);

    /**
     * Stops re-advertising {@code topic} and stores a signed withdrawal, so publishers stop routing here before the
     * record's TTL runs out.
     *
     * @return false when the topic was not advertised
     */
    boolean cancel(Topic topic);

    /** The live advertisements, by topic. */
    List<Advertisement> advertisements();

    /**
     * One advertised topic.
     *
     * @param topic         the topic
     * @param ttl           lifetime of each stored record
     * @param seq           version of the record last stored
     * @param expiresAt     when the record last stored expires
     * @param nextRefreshAt when it is stored again
     */
    record Advertisement(Topic topic, Duration ttl, long seq, Instant expiresAt, Instant nextRefreshAt) {
        public Advertisement {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(ttl, "ttl");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(nextRefreshAt, "nextRefreshAt");
        }
    }
}
