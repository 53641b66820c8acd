package io.hyphae.transport.mem;

import io.hyphae.testkit.TransportContract;
import io.hyphae.testkit.TransportFixture;

/** The transport contract over links with latency and jitter (5 ms + up to 3 ms), in virtual time. */
class MemTransportContractTest extends TransportContract {
    @Override
    protected TransportFixture createFixture() {
        return new VirtualTimeFixture(LinkConditions.ofMillis(5, 3));
    }
}
