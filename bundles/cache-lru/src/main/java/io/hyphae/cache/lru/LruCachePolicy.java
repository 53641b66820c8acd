package io.hyphae.cache.lru;

import io.hyphae.spi.cache.CachePolicy;
import java.time.Duration;
import java.util.Objects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The default cache policy, {@value #NAME_VALUE}: an answer is fresh for the shortest remaining TTL of its records,
 * at most {@link LruSettings#maxFreshness()} (60 s by default); discovery keeps at most
 * {@link LruSettings#maxTopics()} topics (10,000 by default), the least recently used going first; it never refreshes
 * ahead. Stateless and thread safe.
 */
@Component(service = CachePolicy.class, configurationPid = "io.hyphae.cache.lru",
        property = {CachePolicy.NAME + "=" + LruCachePolicy.NAME_VALUE,
                "service.ranking:Integer=" + LruSettings.DEFAULT_RANKING})
@Designate(ocd = LruCachePolicy.Config.class)
public final class LruCachePolicy implements CachePolicy {
    /** The policy's name, also its {@link CachePolicy#NAME} service property. */
    public static final String NAME_VALUE = "lru";

    /** Configuration of PID {@code io.hyphae.cache.lru}. */
    @ObjectClassDefinition(name = "Hyphae LRU cache policy",
            description = "How long discovery keeps DHT answers and how many topics it keeps.")
    public @interface Config {
        @AttributeDefinition(description = "Most topics discovery keeps; the least recently used go first")
        int maxTopics() default LruSettings.DEFAULT_MAX_TOPICS;

        @AttributeDefinition(description = "Longest an answer stays fresh, in ms, however long its records live")
        long maxFreshnessMs() default LruSettings.DEFAULT_MAX_FRESHNESS_MS;

        @AttributeDefinition(description = "Rank among cache policies; the highest is in force")
        int service_ranking() default LruSettings.DEFAULT_RANKING;
    }

    private final LruSettings settings;

    /** OSGi wiring only. */
    @Activate
    public LruCachePolicy(Config config) {
        this(LruSettings.from(config));
    }

    public LruCachePolicy(LruSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public String name() {
        return NAME_VALUE;
    }

    /** {@code min(recordTtl, maxFreshness)}; zero when {@code recordTtl} is zero or negative. */
    @Override
    public Duration freshness(Duration recordTtl) {
        Objects.requireNonNull(recordTtl, "recordTtl");
        if (recordTtl.isNegative()) {
            return Duration.ZERO;
        }
        return recordTtl.compareTo(settings.maxFreshness()) < 0 ? recordTtl : settings.maxFreshness();
    }

    @Override
    public int maxTopics() {
        return settings.maxTopics();
    }

    @Override
    public String toString() {
        return "LruCachePolicy[maxTopics " + settings.maxTopics() + ", maxFreshness " + settings.maxFreshness() + "]";
    }
}
