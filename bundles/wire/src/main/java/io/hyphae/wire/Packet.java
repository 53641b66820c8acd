package io.hyphae.wire;

import java.util.Objects;

/**
 * What a transport puts on the wire: one frame, whether it is a request, the response to one, or one-way, and the
 * id that pairs a response with its request (0 for one-way).
 */
public record Packet(Kind kind, long requestId, WireFrame frame) {
    public Packet {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(frame, "frame");
    }

    public static Packet request(long requestId, WireFrame frame) {
        return new Packet(Kind.REQUEST, requestId, frame);
    }

    public static Packet response(long requestId, WireFrame frame) {
        return new Packet(Kind.RESPONSE, requestId, frame);
    }

    public static Packet oneWay(WireFrame frame) {
        return new Packet(Kind.ONE_WAY, 0, frame);
    }

    /** The role of a packet. */
    public enum Kind {
        REQUEST, RESPONSE, ONE_WAY
    }
}
