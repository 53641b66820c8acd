package io.hyphae.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FormatTest {
    @Test
    void durationsReadAsTheLargestUnitsThatMatter() {
        assertThat(Format.duration(Duration.ofMillis(850))).isEqualTo("850ms");
        assertThat(Format.duration(Duration.ofSeconds(12))).isEqualTo("12s");
        assertThat(Format.duration(Duration.ofSeconds(299))).isEqualTo("4m 59s");
        assertThat(Format.duration(Duration.ofMinutes(125))).isEqualTo("2h 5m");
        assertThat(Format.until(Instant.EPOCH, Instant.EPOCH)).isEqualTo("expired");
    }

    @Test
    void textPayloadsPrintAsTextOthersAsHex() {
        assertThat(Format.payload("héllo\tworld".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo("héllo\tworld");
        assertThat(Format.payload(new byte[] {(byte) 0xff, 0x01})).isEqualTo("<2 bytes: ff01>");
        assertThat(Format.payload(new byte[] {'a', '\n'})).isEqualTo("<2 bytes: 610a>");
        assertThat(Format.payload(new byte[20])).isEqualTo("<20 bytes: 00000000000000000000000000000000...>");
    }
}
