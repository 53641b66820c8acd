package io.hyphae.shell;

import io.hyphae.api.PubSub;
import io.hyphae.spi.dht.Dht;
import io.hyphae.spi.pubsub.Advertiser;
import io.hyphae.spi.pubsub.Discovery;
import io.hyphae.spi.stats.StatsSource;
import io.hyphae.spi.transport.Transport;
import java.util.List;
import java.util.Optional;

/**
 * The services a command can reach at the moment it runs; any of them may be missing (a bundle stopped), and the
 * commands say so instead of failing. Implemented over DS references by {@link HyphaeCommands} and by fakes in
 * tests. Thread safe.
 */
interface Services {
    Optional<PubSub> node();

    Optional<Advertiser> advertiser();

    Optional<Discovery> discovery();

    Optional<Dht> dht();

    /** The bound transports, in no particular order. */
    List<Transport> transports();

    /** The registered counter sources, in no particular order. */
    List<StatsSource> statsSources();
}
