package io.hyphae.testkit;

import io.hyphae.api.MessageId;
import io.hyphae.api.NodeId;
import io.hyphae.api.Qos;
import io.hyphae.api.Topic;
import io.hyphae.spi.dht.Contact;
import io.hyphae.spi.transport.Frame;
import io.hyphae.wire.Frames;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/** Frames the contract sends: pings tagged so a response can be matched to its request, and routes of any size. */
final class ContractFrames {
    private ContractFrames() {
    }

    /** A node id that encodes {@code tag}; used as the contact of a ping so the echoed pong names its request. */
    static NodeId tag(int tag) {
        byte[] bytes = new byte[NodeId.BYTES];
        bytes[0] = (byte) 0xC0;
        bytes[1] = (byte) (tag >>> 24);
        bytes[2] = (byte) (tag >>> 16);
        bytes[3] = (byte) (tag >>> 8);
        bytes[4] = (byte) tag;
        return NodeId.of(bytes);
    }

    static Frames.Ping ping(int tag) {
        return new Frames.Ping(new Contact(tag(tag), List.of()));
    }

    /** The answer of an echoing handler: a pong naming the ping's contact. */
    static Frame echo(Frame request) {
        return new Frames.Pong(((Frames.Ping) request).sender());
    }

    /** Whether {@code response} is the echo of {@code ping(tag)}. */
    static boolean isEchoOf(Frame response, int tag) {
        return response instanceof Frames.Pong pong && pong.sender().nodeId().equals(tag(tag));
    }

    static Frames.Route route(int payloadBytes, NodeId publisher) {
        byte[] payload = new byte[payloadBytes];
        new SplittableRandom(payloadBytes).nextBytes(payload);
        return new Frames.Route(MessageId.random(new SplittableRandom(7)), "default", Topic.of("contract.limits"),
                payload, Qos.AT_MOST_ONCE, publisher, Instant.parse("2026-01-01T00:00:00Z"), 0);
    }
}
