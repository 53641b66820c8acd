package io.hyphae.transport.mem;

import io.hyphae.testkit.TransportContract;
import io.hyphae.testkit.TransportFixture;

/** The transport contract over links without delay, where deliveries and deadlines meet at the same instants. */
class MemTransportOverPerfectLinksContractTest extends TransportContract {
    @Override
    protected TransportFixture createFixture() {
        return new VirtualTimeFixture(LinkConditions.PERFECT);
    }
}
