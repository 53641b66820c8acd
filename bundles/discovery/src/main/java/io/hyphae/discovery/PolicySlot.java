package io.hyphae.discovery;

import io.hyphae.spi.cache.CachePolicy;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cache policy in force: the bound service, or {@link FallbackCachePolicy} while none is. SCR binds a greedy
 * single reference's new service before it unbinds the old one, so {@link #unbind} clears only what it still holds.
 * Every change runs {@code onChange} on the caller's thread, holding no lock. Thread safe.
 */
final class PolicySlot {
    private static final Logger LOG = LoggerFactory.getLogger(PolicySlot.class);

    private final AtomicReference<CachePolicy> bound = new AtomicReference<>();
    private final Runnable onChange;
    private final DiscoveryStats stats;

    PolicySlot(Runnable onChange, DiscoveryStats stats) {
        this.onChange = onChange;
        this.stats = stats;
    }

    CachePolicy current() {
        CachePolicy policy = bound.get();
        return policy != null ? policy : FallbackCachePolicy.INSTANCE;
    }

    /** {@code policy} takes over (null: the built-in one). */
    void bind(CachePolicy policy) {
        CachePolicy old = bound.getAndSet(policy);
        if (old != policy) {
            changed(old);
        }
    }

    /** {@code policy} leaves; nothing changes unless it is the one in force. */
    void unbind(CachePolicy policy) {
        if (policy != null && bound.compareAndSet(policy, null)) {
            changed(policy);
        }
    }

    private void changed(CachePolicy old) {
        stats.policySwaps.increment();
        LOG.info("cache policy {} replaces {}", current().name(), old == null ? FallbackCachePolicy.INSTANCE.name()
                : old.name());
        onChange.run();
    }
}
