package io.hyphae.wire;

import io.hyphae.spi.transport.Frame;

/**
 * Every frame the wire format knows. Sealed, so the codec and the handlers switch over all of them and the compiler
 * says when one is missed.
 */
public sealed interface WireFrame extends Frame
        permits Frames.Ping, Frames.Pong, Frames.Store, Frames.Stored, Frames.FindNode, Frames.Nodes,
        Frames.FindValue, Frames.Values, Frames.Route, Frames.Ack, Frames.Withdraw, Frames.Error {
}
