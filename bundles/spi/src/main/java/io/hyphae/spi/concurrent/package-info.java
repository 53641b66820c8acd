/**
 * Time for Hyphae components: a {@link io.hyphae.spi.concurrent.Scheduler} injected into every component that
 * waits, and {@link io.hyphae.spi.concurrent.VirtualTime}, a deterministic discrete-event scheduler and clock with
 * which tests and simulations run TTLs, retries and timeouts without sleeping.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.hyphae.spi.concurrent;
