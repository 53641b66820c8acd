package io.hyphae.dht;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DhtSettingsTest {

    @Test
    void bootstrapFromACfgLineIsSplitOnCommasAndWhiteSpace() {
        assertThat(DhtSettings.bootstrapList(new String[] {"quic://a:1/x, tcp://b:2/y  mem://c:3/z"}))
                .containsExactly("quic://a:1/x", "tcp://b:2/y", "mem://c:3/z");
    }

    @Test
    void bootstrapAsAnArrayKeepsEachEndpointAndDropsBlanks() {
        assertThat(DhtSettings.bootstrapList(new String[] {"quic://a:1/x", "", " tcp://b:2/y "}))
                .containsExactly("quic://a:1/x", "tcp://b:2/y");
        assertThat(DhtSettings.bootstrapList(new String[0])).isEmpty();
    }
}
