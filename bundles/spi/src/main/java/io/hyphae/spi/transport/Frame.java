package io.hyphae.spi.transport;

/**
 * A unit a transport carries. The concrete frame types, their limits and their encoding live in {@code io.hyphae.wire};
 * a transport encodes and decodes them with the wire codec, so every transport carries the same bytes.
 */
public interface Frame {
}
