package io.hyphae.advertisement;

import io.hyphae.api.Topic;
import io.hyphae.spi.concurrent.Scheduler.Cancellable;
import io.hyphae.spi.pubsub.Advertiser.Advertisement;
import io.hyphae.spi.transport.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** One live advertisement. Mutable; guarded by the lock of the {@link AdvertisementService} that owns it. */
final class Advertised {
    final Topic topic;
    long seq;
    Instant expiresAt;
    Instant nextRefreshAt;
    List<Endpoint> endpoints;
    Cancellable timer = () -> { };
    /** The last store failed; a warning was logged and the next success is logged too. */
    boolean failing;

    Advertised(Topic topic) {
        this.topic = topic;
    }

    Advertisement info(Duration ttl) {
        return new Advertisement(topic, ttl, seq, expiresAt, nextRefreshAt);
    }
}
