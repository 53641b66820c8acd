package io.hyphae.transport.mem;

import io.hyphae.spi.transport.Frame;
import io.hyphae.spi.transport.InboundHandler;
import io.hyphae.spi.transport.Transport;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The registered inbound handlers, in registration order. Lock-free reads; thread safe. */
final class InboundHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(InboundHandlers.class);
    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    Transport.Registration register(InboundHandler handler) {
        Objects.requireNonNull(handler, "handler");
        // an entry per registration, so one handler registered twice has two independent registrations
        Entry entry = new Entry(handler);
        entries.add(entry);
        return () -> entries.remove(entry);
    }

    /** The first handler that accepts {@code frame}, or null. A handler whose accepts() throws is passed over. */
    InboundHandler find(Frame frame) {
        for (Entry entry : entries) {
            try {
                if (entry.handler.accepts(frame)) {
                    return entry.handler;
                }
            } catch (RuntimeException e) {
                LOG.warn("inbound handler {} failed deciding whether it accepts {}", entry.handler, frame, e);
            }
        }
        return null;
    }

    void clear() {
        entries.clear();
    }

    /** One registration; equal only to itself. */
    private static final class Entry {
        final InboundHandler handler;

        Entry(InboundHandler handler) {
            this.handler = handler;
        }
    }
}
