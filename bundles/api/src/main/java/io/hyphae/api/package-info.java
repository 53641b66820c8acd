/**
 * The Hyphae application API: publish to and subscribe on topics of a brokerless mesh.
 *
 * <p>Obtain a {@link io.hyphae.api.PubSub} as an OSGi service, or build one with the plain-Java embedding.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.hyphae.api;
