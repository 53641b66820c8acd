package io.hyphae.wire;

/**
 * The code of each frame type on the wire and how many fields follow it in the packet array. Codes are stable: a new
 * frame type takes the next free code, an old code is never reused. Codes 12 to 14 are routes by alias
 * ({@link RouteAliases}), which only a stream's {@link RouteAliases.In} decodes.
 */
enum FrameType {
    PING(0, 1),
    PONG(1, 1),
    STORE(2, 2),
    STORED(3, 1),
    FIND_NODE(4, 2),
    NODES(5, 1),
    FIND_VALUE(6, 3),
    VALUES(7, 3),
    ROUTE(8, 8),
    ACK(9, 1),
    WITHDRAW(10, 1),
    ERROR(11, 2);

    /** Most fields of any frame type. */
    static final int MAX_FIELDS = 8;
    private static final FrameType[] BY_CODE = byCode();

    final int code;
    final int fields;

    FrameType(int code, int fields) {
        this.code = code;
        this.fields = fields;
    }

    /** The type of {@code frame}; routes first because they are most of the traffic. */
    static FrameType of(WireFrame frame) {
        if (frame instanceof Frames.Route) {
            return ROUTE;
        } else if (frame instanceof Frames.Ack) {
            return ACK;
        } else if (frame instanceof Frames.Ping) {
            return PING;
        } else if (frame instanceof Frames.Pong) {
            return PONG;
        } else if (frame instanceof Frames.Store) {
            return STORE;
        } else if (frame instanceof Frames.Stored) {
            return STORED;
        } else if (frame instanceof Frames.FindNode) {
            return FIND_NODE;
        } else if (frame instanceof Frames.Nodes) {
            return NODES;
        } else if (frame instanceof Frames.FindValue) {
            return FIND_VALUE;
        } else if (frame instanceof Frames.Values) {
            return VALUES;
        } else if (frame instanceof Frames.Withdraw) {
            return WITHDRAW;
        } else if (frame instanceof Frames.Error) {
            return ERROR;
        }
        // Unreachable while WireFrame is sealed; says which type was forgotten if a permit is added.
        throw new IllegalStateException("no wire code for frame type " + frame.getClass().getName());
    }

    /** The type with {@code code}, or null when no type has it. */
    static FrameType ofCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    private static FrameType[] byCode() {
        FrameType[] types = new FrameType[values().length];
        for (FrameType type : values()) {
            types[type.code] = type;
        }
        return types;
    }
}
