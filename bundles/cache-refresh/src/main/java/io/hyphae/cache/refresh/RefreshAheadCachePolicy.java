package io.hyphae.cache.refresh;

import io.hyphae.spi.cache.CachePolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The {@value #NAME_VALUE} cache policy: the bounds of {@code lru} (freshness {@code min(recordTtl, 60 s)}, at most
 * 10,000 topics), and a topic that is still being published to is queried again before its entry expires, so it
 * never waits on a miss. An entry is hot when it was used at least {@link RefreshAheadSettings#minUses()} times
 * since it was stored and last used within one freshness window; it is refreshed in the last
 * {@link RefreshAheadSettings#refreshFraction()} (20 % by default) of its freshness. Ranked 10 by default, above
 * lru, so installing it takes over. Stateless and thread safe.
 */
@Component(service = CachePolicy.class, configurationPid = "io.hyphae.cache.refresh",
        property = {CachePolicy.NAME + "=" + RefreshAheadCachePolicy.NAME_VALUE,
                "service.ranking:Integer=" + RefreshAheadSettings.DEFAULT_RANKING})
@Designate(ocd = RefreshAheadCachePolicy.Config.class)
public final class RefreshAheadCachePolicy implements CachePolicy {
    /** The policy's name, also its {@link CachePolicy#NAME} service property. */
    public static final String NAME_VALUE = "refresh-ahead";

    /** Configuration of PID {@code io.hyphae.cache.refresh}. */
    @ObjectClassDefinition(name = "Hyphae refresh-ahead cache policy",
            description = "Keeps DHT answers like lru and queries topics in use again before they expire.")
    public @interface Config {
        @AttributeDefinition(description = "Most topics discovery keeps; the least recently used go first")
        int maxTopics() default RefreshAheadSettings.DEFAULT_MAX_TOPICS;

        @AttributeDefinition(description = "Longest an answer stays fresh, in ms, however long its records live")
        long maxFreshnessMs() default RefreshAheadSettings.DEFAULT_MAX_FRESHNESS_MS;

        @AttributeDefinition(description = "Last part of an entry's freshness, in percent (1..99), in which a topic"
                + " still in use is queried again", min = "1", max = "99")
        int refreshPercent() default RefreshAheadSettings.DEFAULT_REFRESH_PERCENT;

        @AttributeDefinition(description = "Uses since an answer was stored that make its topic worth refreshing")
        long minUses() default RefreshAheadSettings.DEFAULT_MIN_USES;

        @AttributeDefinition(description = "Rank among cache policies; the highest is in force")
        int service_ranking() default RefreshAheadSettings.DEFAULT_RANKING;
    }

    private final RefreshAheadSettings settings;

    /** OSGi wiring only. */
    @Activate
    public RefreshAheadCachePolicy(Config config) {
        this(RefreshAheadSettings.from(config));
    }

    public RefreshAheadCachePolicy(RefreshAheadSettings settings) {
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

    /** True for a hot entry that is still fresh and within the last part of its freshness. */
    @Override
    public boolean refreshAhead(Entry entry, Instant now) {
        if (!now.isBefore(entry.expiresAt()) || entry.uses() < settings.minUses()) {
            return false;
        }
        long freshMs = Duration.between(entry.storedAt(), entry.expiresAt()).toMillis();
        if (freshMs <= 0) {
            return false;
        }
        boolean usedRecently = Duration.between(entry.lastUsedAt(), now).toMillis() <= freshMs;
        long leftMs = Duration.between(now, entry.expiresAt()).toMillis();
        return usedRecently && leftMs <= (long) (freshMs * settings.refreshFraction());
    }

    @Override
    public String toString() {
        return "RefreshAheadCachePolicy[maxTopics " + settings.maxTopics() + ", maxFreshness "
                + settings.maxFreshness() + ", last " + Math.round(settings.refreshFraction() * 100) + " %]";
    }
}
