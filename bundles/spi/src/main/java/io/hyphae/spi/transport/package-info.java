/**
 * The transport SPI: moves {@link io.hyphae.spi.transport.Frame frames} between nodes, as request/response under a
 * deadline (DHT RPCs) or one-way (routes and acks). A transport is a service registered with the
 * {@link io.hyphae.spi.transport.Transport#SCHEME} property; users of transports pick one by the scheme of an
 * {@link io.hyphae.spi.transport.Endpoint}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package io.hyphae.spi.transport;
