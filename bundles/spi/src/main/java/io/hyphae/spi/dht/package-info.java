/**
 * The DHT SPI: a Kademlia-style directory of signed {@link io.hyphae.spi.dht.Record records}, many per
 * {@link io.hyphae.spi.dht.Key key}, one per publisher.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.hyphae.spi.dht;
