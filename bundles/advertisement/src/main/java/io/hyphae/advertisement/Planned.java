package io.hyphae.advertisement;

import io.hyphae.spi.pubsub.Advertiser.Advertisement;
import io.hyphae.spi.transport.Endpoint;
import java.time.Instant;
import java.util.List;

/**
 * One store decided under the advertiser's lock and carried out after it.
 *
 * @param info what {@code advertise} answers; null for a withdrawal
 */
record Planned(Advertised entry, long seq, Instant expiresAt, List<Endpoint> endpoints, boolean withdrawal,
               Advertisement info) {
}
