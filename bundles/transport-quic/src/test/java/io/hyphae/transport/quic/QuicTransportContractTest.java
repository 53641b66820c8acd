package io.hyphae.transport.quic;

import io.hyphae.testkit.TransportContract;
import io.hyphae.testkit.TransportFixture;

class QuicTransportContractTest extends TransportContract {
    @Override
    protected TransportFixture createFixture() {
        return new QuicFixture();
    }
}
