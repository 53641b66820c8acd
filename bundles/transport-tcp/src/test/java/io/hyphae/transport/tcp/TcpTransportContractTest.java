package io.hyphae.transport.tcp;

import io.hyphae.testkit.TransportContract;
import io.hyphae.testkit.TransportFixture;

class TcpTransportContractTest extends TransportContract {
    @Override
    protected TransportFixture createFixture() {
        return new TcpFixture();
    }
}
