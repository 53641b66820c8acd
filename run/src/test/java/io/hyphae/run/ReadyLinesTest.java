package io.hyphae.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.hyphae.api.NodeId;
import io.hyphae.spi.transport.Endpoint;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadyLinesTest {
    @Test
    void firstLineSaysReadyThenOneEndpointPerLine() {
        byte[] b = new byte[NodeId.BYTES];
        Arrays.fill(b, (byte) 0xab);
        NodeId id = NodeId.of(b);

        List<String> lines = ReadyLines.of(id, "default", List.of(new Endpoint("quic", "127.0.0.1", 4433, id)), 1873,
                false);

        assertThat(lines).containsExactly(
                "hyphae: node ready in 1873 ms: node " + id.toHex() + ", realm \"default\"",
                "hyphae:   endpoint quic://127.0.0.1:4433/" + id.toHex());
    }
}
