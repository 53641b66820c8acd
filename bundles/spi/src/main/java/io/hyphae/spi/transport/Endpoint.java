package io.hyphae.spi.transport;

import io.hyphae.api.NodeId;
import java.util.Objects;
import java.util.regex.Pattern;

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
    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]{0,15}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]{1,253}");

    /**
     * @throws InvalidEndpointException when a part is out of its range
     */
    public Endpoint {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(nodeId, "nodeId");
        if (!SCHEME.matcher(scheme).matches()) {
            throw new InvalidEndpointException("endpoint scheme must be lower-case letters, digits, '+', '.' or '-'"
                    + " and start with a letter: \"" + scheme + "\"");
        }
        if (!HOST.matcher(host).matches()) {
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
        NodeId nodeId;
        try {
            nodeId = NodeId.ofHex(rest.substring(slash + 1));
        } catch (IllegalArgumentException e) {
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
        int port;
        try {
            port = Integer.parseInt(authority.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new InvalidEndpointException("endpoint port is not a number: \"" + text + "\"");
        }
        return new Endpoint(scheme, host, port, nodeId);
    }

    /** The same address, expecting another node. */
    public Endpoint withNodeId(NodeId other) {
        return new Endpoint(scheme, host, port, other);
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return scheme + "://" + h + ":" + port + "/" + nodeId.toHex();
    }
}
