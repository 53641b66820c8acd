package io.hyphae.shell;

import io.hyphae.api.Message;
import io.hyphae.spi.transport.Endpoint;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/** How the shell writes times, payloads and endpoints. */
final class Format {
    private static final int HEX_PREVIEW_BYTES = 16;

    private Format() {
    }

    /** {@code 4m 59s}, {@code 12s}, {@code 850ms}; {@code expired} when {@code at} is not after {@code now}. */
    static String until(Instant now, Instant at) {
        Duration left = Duration.between(now, at);
        return left.isNegative() || left.isZero() ? "expired" : duration(left);
    }

    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1_000) {
            return ms + "ms";
        }
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3_600) {
            return s / 60 + "m " + s % 60 + "s";
        }
        return s / 3_600 + "h " + s % 3_600 / 60 + "m";
    }

    /** Elapsed nanoseconds as milliseconds with one decimal: {@code 0.4 ms}, {@code 412.0 ms}. */
    static String millis(long nanos) {
        return String.format("%.1f ms", nanos / 1e6);
    }

    /**
     * The payload as text when it is valid UTF-8 without control characters (tab excepted), else its size and the
     * hex of its first bytes.
     */
    static String payload(byte[] payload) {
        try {
            CharBuffer text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload));
            String s = text.toString();
            if (s.chars().noneMatch(c -> Character.isISOControl(c) && c != '\t')) {
                return s;
            }
        } catch (CharacterCodingException e) {
            // not text: shown as hex below
        }
        int shown = Math.min(payload.length, HEX_PREVIEW_BYTES);
        return "<" + payload.length + " bytes: " + HexFormat.of().formatHex(payload, 0, shown)
                + (shown < payload.length ? "..." : "") + ">";
    }

    /** One arriving message, as {@code subscribe} prints it. */
    static String message(Message m) {
        return "[" + m.topic() + "] " + payload(m.payload()) + "  (from " + m.publisher().shortHex() + ", qos "
                + m.qos().level() + ", " + m.payloadSize() + " B)";
    }

    /** An endpoint without its node id, which the row already shows: {@code quic://127.0.0.1:4433}. */
    static String address(Endpoint e) {
        String host = e.host().indexOf(':') >= 0 ? "[" + e.host() + "]" : e.host();
        return e.scheme() + "://" + host + ":" + e.port();
    }

    static String addresses(List<Endpoint> endpoints) {
        return endpoints.isEmpty() ? "-" : endpoints.stream().map(Format::address).collect(Collectors.joining(", "));
    }
}
