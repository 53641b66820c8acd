package io.hyphae.testkit;

import io.hyphae.wire.FrameCodec;
import io.hyphae.wire.Frames;
import io.hyphae.wire.Packet;
import io.hyphae.wire.RouteAliases;
import java.util.ArrayList;
import java.util.List;

/** Routes as one stream carries them (by alias after the first of each triple), for raw peers in transport tests. */
public final class StreamedRoutes {
    private StreamedRoutes() {
    }

    /** The packet bytes of each of {@code routes}, sent one way, in order, on one new stream. */
    public static List<byte[]> onOneStream(Frames.Route... routes) {
        FrameCodec codec = new FrameCodec();
        RouteAliases.Out aliases = new RouteAliases.Out();
        List<byte[]> packets = new ArrayList<>(routes.length);
        for (Frames.Route route : routes) {
            packets.add(aliases.carry(codec.encode(Packet.oneWay(route))));
        }
        return packets;
    }
}
