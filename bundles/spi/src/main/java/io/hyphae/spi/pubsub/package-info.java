/**
 * The seams between the pub/sub bundles: the node's identity, and (with the pub/sub services) the advertiser,
 * discovery and router, so each implementation bundle stays private and can be replaced on its own.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.hyphae.spi.pubsub;
