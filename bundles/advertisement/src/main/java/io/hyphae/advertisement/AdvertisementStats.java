package io.hyphae.advertisement;

import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one advertiser, named {@code advertisement.<event>} for {@code hyphae:stats}. Thread safe. */
public final class AdvertisementStats {
    /** The module name of these counters, the prefix of each counter name. */
    public static final String MODULE = "advertisement";

    final LongAdder stores = new LongAdder();
    final LongAdder storeFailures = new LongAdder();
    final LongAdder refreshes = new LongAdder();
    final LongAdder withdrawals = new LongAdder();
    final LongAdder endpointChanges = new LongAdder();

    /** Records stored (advertisements and withdrawals), successful or not. */
    public long stores() {
        return stores.sum();
    }

    /** Stores the DHT refused or could not place. */
    public long storeFailures() {
        return storeFailures.sum();
    }

    /** Timer-driven re-stores. */
    public long refreshes() {
        return refreshes.sum();
    }

    /** Withdrawals stored, on cancel or close. */
    public long withdrawals() {
        return withdrawals.sum();
    }

    /** Times the node's endpoints changed and live advertisements were re-stored. */
    public long endpointChanges() {
        return endpointChanges.sum();
    }

    /** Every counter by its name, sorted by name. */
    public SortedMap<String, Long> snapshot() {
        SortedMap<String, Long> out = new TreeMap<>();
        out.put("advertisement.stores", stores());
        out.put("advertisement.store.failures", storeFailures());
        out.put("advertisement.refreshes", refreshes());
        out.put("advertisement.withdrawals", withdrawals());
        out.put("advertisement.endpoint.changes", endpointChanges());
        return out;
    }
}
