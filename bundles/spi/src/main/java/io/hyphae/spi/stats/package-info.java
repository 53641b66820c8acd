/**
 * Counters of the Hyphae modules, for the shell and for monitoring: each module registers a
 * {@link io.hyphae.spi.stats.StatsSource} service next to its main service.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.hyphae.spi.stats;
