package io.hyphae.transport.mem;

import io.hyphae.testkit.TransportContract;
import io.hyphae.testkit.TransportFixture;

/**
 * The transport contract on a real scheduler thread and the wall clock, as socket transports run it: responses are
 * matched while senders and the network's thread truly run at once.
 */
class MemTransportWallClockContractTest extends TransportContract {
    @Override
    protected TransportFixture createFixture() {
        return new WallClockMemFixture();
    }
}
