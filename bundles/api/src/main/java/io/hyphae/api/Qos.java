package io.hyphae.api;

/** Delivery guarantee of a published message. */
public enum Qos {
    /** QoS 0: sent once, never acknowledged nor retried. */
    AT_MOST_ONCE(0),
    /**
     * QoS 1: every subscriber known when the message was published acknowledges it; the sender retries until acked
     * or the deadline passes, and receivers drop duplicates, so a handler sees it once in the normal case.
     */
    AT_LEAST_ONCE(1);

    private final int level;

    Qos(int level) {
        this.level = level;
    }

    /** The MQTT-style level, 0 or 1. */
    public int level() {
        return level;
    }

    /**
     * @throws IllegalArgumentException when {@code level} is neither 0 nor 1
     */
    public static Qos ofLevel(int level) {
        return switch (level) {
            case 0 -> AT_MOST_ONCE;
            case 1 -> AT_LEAST_ONCE;
            default -> throw new IllegalArgumentException("qos level must be 0 or 1: " + level);
        };
    }
}
