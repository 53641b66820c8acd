package io.hyphae.sim;

import io.hyphae.api.NodeId;
import io.hyphae.spi.dht.Key;

/** The XOR metric of SPEC "DHT", for judging lookups from outside the nodes. */
final class Distance {
    private Distance() {
    }

    /** Negative when {@code a} is nearer to {@code target} than {@code b}, 0 when they are the same id. */
    static int compare(Key target, NodeId a, NodeId b) {
        for (int i = 0; i < NodeId.BYTES; i++) {
            int t = target.byteAt(i);
            int da = (a.byteAt(i) ^ t) & 0xff;
            int db = (b.byteAt(i) ^ t) & 0xff;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }
}
