package io.hyphae.advertisement;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one bounded wait of the advertiser: for its withdrawals when it closes. */
final class Deadline {
    private static final Logger LOG = LoggerFactory.getLogger(Deadline.class);

    private Deadline() {
    }

    /**
     * Waits for {@code withdrawals} (that many) at most {@code deadline}; a record not withdrawn in time expires at
     * its TTL, so giving up is safe. Restores the interrupt flag when interrupted.
     */
    static void await(CompletableFuture<?> withdrawals, Duration deadline, int count) {
        if (count == 0) {
            return;
        }
        try {
            withdrawals.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("withdrew {} advertisement(s)", count);
        } catch (TimeoutException e) {
            LOG.warn("{} withdrawal(s) not confirmed within {} ms; those records expire at their TTL", count,
                    deadline.toMillis());
        } catch (ExecutionException e) {
            LOG.warn("some of {} withdrawal(s) failed; those records expire at their TTL: {}", count,
                    e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while withdrawing {} advertisement(s); those records expire at their TTL", count);
        }
    }
}
