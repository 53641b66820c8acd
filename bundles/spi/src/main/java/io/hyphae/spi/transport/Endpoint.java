package io.hyphae.spi.transport;

import io.hyphae.api.NodeId;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where a node can be reached: {@code scheme://host:port/nodeIdHex}. The node id names whom the dialler expects to
 * find there; a transport refuses a peer that proves another identity. Immutable.
 *
 * @param scheme lower-case transport scheme ({@code quic}, {@code tcp}, {@code mem})
 * @param host   host name, IPv4 address or IPv6 address (without brackets)
 * @param port   0..65535
 * @param nodeId the node expected at this address
 */
public record Endpoint(String scheme, String host, int port, NodeId nodeId) {
    /** Longest endpoint string accepted by {@link #parse}. */
    public static final int MAX_LENGTH = 512;
    private static final int MAX_SCHEME_CHARS = 16;
    private static final int MAX_HOST_CHARS = 253;
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /**
     * @throws InvalidEndpointException when a part is out of its range
     */
    public Endpoint {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(nodeId, "nodeId");
        // hand-written checks, not regular expressions: a DHT answer carries twenty endpoints (#4)
        if (!validScheme(scheme)) {
            throw new InvalidEndpointException("endpoint scheme must be lower-case letters, digits, '+', '.' or '-'"
                    + " and start with a letter: \"" + scheme + "\"");
        }
        if (!validHost(host)) {
            throw new InvalidEndpointException("endpoint host is empty or has characters a host cannot have: \""
                    + host + "\"");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidEndpointException("endpoint port must be 0..65535: " + port);
        }
    }

    /**
     * Parses {@code scheme://host:port/nodeIdHex}; an IPv6 host is written in brackets.
     *
     * @throws InvalidEndpointException naming the part that is wrong
     */
    public static Endpoint parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_LENGTH) {
            throw new InvalidEndpointException("endpoint is longer than " + MAX_LENGTH + " characters");
        }
        int schemeEnd = text.indexOf("://");
        if (schemeEnd <= 0) {
            throw new InvalidEndpointException("endpoint has no scheme (expected scheme://host:port/nodeId): \""
                    + text + "\"");
        }
        String scheme = text.substring(0, schemeEnd);
        String rest = text.substring(schemeEnd + 3);
        int slash = rest.lastIndexOf('/');
        if (slash < 0) {
            throw new InvalidEndpointException("endpoint has no node id (expected scheme://host:port/nodeId): \""
                    + text + "\"");
        }
        String authority = rest.substring(0, slash);
        NodeId nodeId = nodeIdOf(rest, slash + 1);
        if (nodeId == null) {
            throw new InvalidEndpointException("endpoint node id is not 64 hex digits: \"" + text + "\"");
        }
        int colon = authority.lastIndexOf(':');
        if (colon < 0 || colon == authority.length() - 1) {
            throw new InvalidEndpointException("endpoint has no port: \"" + text + "\"");
        }
        String host = authority.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new InvalidEndpointException("an IPv6 endpoint host must be in brackets: \"" + text + "\"");
        }
        int port = portOf(authority, colon + 1);
        if (port == Integer.MIN_VALUE) {
            throw new InvalidEndpointException("endpoint port is not a number: \"" + text + "\"");
        }
        return new Endpoint(scheme, host, port, nodeId);
    }

    /** Whether {@code scheme} is 1..16 of {@code [a-z0-9+.-]}, a letter first. */
    private static boolean validScheme(String scheme) {
        int n = scheme.length();
        if (n == 0 || n > MAX_SCHEME_CHARS || !lowerLetter(scheme.charAt(0))) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = scheme.charAt(i);
            if (!lowerLetter(c) && !digit(c) && c != '+' && c != '.' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code host} is 1..253 of {@code [A-Za-z0-9._:%-]}. */
    private static boolean validHost(String host) {
        int n = host.length();
        if (n == 0 || n > MAX_HOST_CHARS) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = host.charAt(i);
            if (!lowerLetter(c) && !(c >= 'A' && c <= 'Z') && !digit(c) && c != '.' && c != '_' && c != ':'
                    && c != '%' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean lowerLetter(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The node id written as exactly 64 hex digits (either case) from {@code from} to the end; else null. */
    private static NodeId nodeIdOf(String text, int from) {
        if (text.length() - from != NodeId.BYTES * 2) {
            return null;
        }
        byte[] bytes = new byte[NodeId.BYTES];
        for (int i = 0; i < bytes.length; i++) {
            int high = hexValue(text.charAt(from + 2 * i));
            int low = hexValue(text.charAt(from + 2 * i + 1));
            if (high < 0 || low < 0) {
                return null;
            }
            bytes[i] = (byte) (high << 4 | low);
        }
        return NodeId.of(bytes);
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        } else if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** The port from {@code from} to the end as {@link Integer#parseInt} reads it; MIN_VALUE when it cannot. */
    private static int portOf(String text, int from) {
        int n = text.length() - from;
        if (n > 0 && n <= 9) {
            int value = 0;
            for (int i = from; i < text.length(); i++) {
                char c = text.charAt(i);
                if (!digit(c)) {
                    return parsePort(text.substring(from)); // signs and non-ASCII digits, as parseInt takes them
                }
                value = value * 10 + (c - '0');
            }
            return value;
        }
        return parsePort(text.substring(from));
    }

    private static int parsePort(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return Integer.MIN_VALUE;
        }
    }

    /** The same address, expecting another node. */
    public Endpoint withNodeId(NodeId other) {
        return new Endpoint(scheme, host, port, other);
    }

    /**
     * {@code scheme://host:port/nodeIdHex}, the host in brackets when it holds a colon (IPv6); {@link #parse} reads
     * it back. Every character is ASCII.
     */
    @Override
    public String toString() {
        boolean brackets = host.indexOf(':') >= 0;
        String portText = Integer.toString(port);
        int length = scheme.length() + 3 + host.length() + (brackets ? 2 : 0) + 1 + portText.length() + 1
                + 2 * NodeId.BYTES;
        byte[] out = new byte[length];
        int at = ascii(scheme, out, 0);
        out[at++] = ':';
        out[at++] = '/';
        out[at++] = '/';
        if (brackets) {
            out[at++] = '[';
        }
        at = ascii(host, out, at);
        if (brackets) {
            out[at++] = ']';
        }
        out[at++] = ':';
        at = ascii(portText, out, at);
        out[at++] = '/';
        for (int i = 0; i < NodeId.BYTES; i++) {
            int b = nodeId.byteAt(i);
            out[at++] = HEX_DIGITS[(b >> 4) & 0xF];
            out[at++] = HEX_DIGITS[b & 0xF];
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    private static int ascii(String text, byte[] out, int at) {
        for (int i = 0; i < text.length(); i++) {
            out[at++] = (byte) text.charAt(i);
        }
        return at;
    }
}
