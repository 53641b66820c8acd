/**
 * The cache policy SPI: how long discovery keeps what the DHT answered, how many topics it keeps, and whether it
 * refreshes ahead. The policy of highest {@code service.ranking} is in force and may change while the node runs.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.hyphae.spi.cache;
