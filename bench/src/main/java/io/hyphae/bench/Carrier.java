package io.hyphae.bench;

import java.util.concurrent.CompletionStage;

/**
 * One way of carrying a message from a publisher to a subscriber in this JVM, on loopback. The first 8 bytes of every
 * payload are the sender's {@link System#nanoTime()}; the receiving side hands them to the {@link Receiver}.
 */
interface Carrier extends AutoCloseable {
    /** Short name for the table. */
    String name();

    /** What a QoS 1 message goes through (the request/ack round trip, or the publish path). */
    String describe();

    /** Sets who learns of deliveries; called before each measurement, from the measuring thread. */
    void receiver(Receiver receiver);

    /** QoS 0: sends one message; the stage completes when it was handed off (the sender may go on). */
    CompletionStage<?> send(byte[] payload);

    /**
     * QoS 1: sends one message; the stage completes when the receiver acknowledged it, or with an outcome that
     * {@link #acknowledged} refuses. The measurements add no continuation of their own between the path and a
     * waiting caller.
     */
    CompletionStage<?> request(byte[] payload);

    /** Whether a completed {@link #request} outcome means the receiver acknowledged it; by default every one does. */
    default boolean acknowledged(Object outcome) {
        return true;
    }

    /** Messages the path dropped on purpose (bounded queues), by counter; empty when it keeps no such counters. */
    default String drops() {
        return "";
    }

    @Override
    void close();

    /** Takes deliveries on the receiving side's threads. */
    @FunctionalInterface
    interface Receiver {
        /** A message sent at {@code sentNanos} (sender's nanoTime) arrived. */
        void received(long sentNanos);

        Receiver NONE = sentNanos -> { };
    }

    /** The send time a payload carries. */
    static long sentNanos(byte[] payload) {
        long v = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            v = (v << 8) | (payload[i] & 0xff);
        }
        return v;
    }

    /** The send time a payload read through a view carries (big-endian, as {@link #stamped} writes it). */
    static long sentNanos(java.nio.ByteBuffer payload) {
        return payload.getLong(payload.position());
    }

    /** A payload of {@code size} bytes stamped with now. */
    static byte[] stamped(int size) {
        byte[] payload = new byte[size];
        long now = System.nanoTime();
        for (int i = Long.BYTES - 1; i >= 0; i--) {
            payload[i] = (byte) now;
            now >>>= 8;
        }
        return payload;
    }
}
