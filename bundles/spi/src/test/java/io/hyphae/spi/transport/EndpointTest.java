package io.hyphae.spi.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyphae.api.NodeId;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointTest {
    private static final NodeId ID = NodeId.ofPublicKey("k".getBytes(StandardCharsets.UTF_8));
    private static final String HEX = ID.toHex();

    @Test
    void parsesAndFormatsIpv4() {
        Endpoint e = Endpoint.parse("quic://127.0.0.1:4433/" + HEX);
        assertThat(e).isEqualTo(new Endpoint("quic", "127.0.0.1", 4433, ID));
        assertThat(e).hasToString("quic://127.0.0.1:4433/" + HEX);
    }

    @Test
    void parsesAndFormatsIpv6InBrackets() {
        Endpoint e = Endpoint.parse("tcp://[::1]:7000/" + HEX);
        assertThat(e.host()).isEqualTo("::1");
        assertThat(e).hasToString("tcp://[::1]:7000/" + HEX);
        assertThat(Endpoint.parse(e.toString())).isEqualTo(e);
    }

    @Test
    void withNodeIdKeepsTheAddress() {
        NodeId other = NodeId.of(new byte[32]);
        Endpoint e = Endpoint.parse("mem://n1:1/" + HEX).withNodeId(other);
        assertThat(e.host()).isEqualTo("n1");
        assertThat(e.nodeId()).isEqualTo(other);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1:4433/ID | no scheme",
        "quic://127.0.0.1:4433 | no node id",
        "quic://127.0.0.1/ID | no port",
        "quic://127.0.0.1:/ID | no port",
        "quic://127.0.0.1:x/ID | port is not a number",
        "quic://127.0.0.1:70000/ID | port must be 0..65535",
        "quic://127.0.0.1:1/abc | node id is not 64 hex digits",
        "QUIC://127.0.0.1:1/ID | scheme must be lower-case",
        "quic://::1:1/ID | IPv6 endpoint host must be in brackets",
        "quic://:1/ID | host is empty",
        "quic://a b:1/ID | host is empty or has characters",
    })
    void badEndpointsNameTheBrokenPart(String text, String expected) {
        assertThatThrownBy(() -> Endpoint.parse(text.replace("ID", HEX)))
                .isInstanceOf(InvalidEndpointException.class)
                .hasMessageContaining(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "quic://h:+80/ID | 80",
        "quic://h:0080/ID | 80",
        "quic://h:65535/ID | 65535",
        "quic://h:0/ID | 0",
    })
    void portsReadAsIntegerParseIntReadsThem(String text, int port) {
        assertThat(Endpoint.parse(text.replace("ID", HEX)).port()).isEqualTo(port);
    }

    @Test
    void upperCaseNodeIdHexIsTheSameNode() {
        assertThat(Endpoint.parse("mem://h:1/" + HEX.toUpperCase(java.util.Locale.ROOT)).nodeId()).isEqualTo(ID);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "quic://h:-1/ID | port must be 0..65535: -1",
        "quic://h:99999999999/ID | port is not a number",
        "quic://h:1/IDg | node id is not 64 hex digits",
        "a-very-long-scheme-x://h:1/ID | scheme must be lower-case",
        "9p://h:1/ID | scheme must be lower-case",
        "quic://h\u00e9:1/ID | host is empty or has characters",
    })
    void refusesWhatTheOldPatternsRefused(String text, String expected) {
        String input = text.replace("ID", HEX);
        assertThatThrownBy(() -> Endpoint.parse(input))
                .isInstanceOf(InvalidEndpointException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void hostsOfTwoHundredFiftyThreeCharactersAndNoMore() {
        assertThat(new Endpoint("tcp", "h".repeat(253), 1, ID).host()).hasSize(253);
        assertThatThrownBy(() -> new Endpoint("tcp", "h".repeat(254), 1, ID))
                .isInstanceOf(InvalidEndpointException.class);
    }

    @Test
    void overlongInputIsRefusedBeforeParsing() {
        assertThatThrownBy(() -> Endpoint.parse("quic://" + "a".repeat(600)))
                .isInstanceOf(InvalidEndpointException.class)
                .hasMessageContaining("longer than 512");
    }
}
