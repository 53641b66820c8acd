/**
 * The wire format: every frame type Hyphae nodes exchange, the {@link io.hyphae.wire.Packet} that carries one
 * between transports, the limits that bound them, and {@link io.hyphae.wire.FrameCodec}, their CBOR codec. Decoding
 * network bytes fails only with {@link io.hyphae.wire.WireException}. Also the pieces every transport shares:
 * {@link io.hyphae.wire.FrameSender} (request and send over a peer's connection) with
 * {@link io.hyphae.wire.OutboundPacket}, {@link io.hyphae.wire.ConnectionTable} (one connection per peer, dialled
 * once), {@link io.hyphae.wire.PendingRequests} (requests awaiting answers),
 * {@link io.hyphae.wire.InboundDispatcher}
 * (inbound packets to handlers), {@link io.hyphae.wire.RemoteErrorException} (an error answer),
 * {@link io.hyphae.wire.OncePerPeer} (log trouble once per peer), {@link io.hyphae.wire.AdvertisedHost} and
 * {@link io.hyphae.wire.RouteAliases} (route frames by alias on a stream).
 * Exported for transports, the DHT and the router; applications do not need it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package io.hyphae.wire;
