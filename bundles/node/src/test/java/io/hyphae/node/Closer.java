package io.hyphae.node;

import java.util.ArrayList;
import java.util.List;

/**
 * What a test started, closed last-made first when the test ends (nodes leave their transports to whoever made
 * them, so nodes are made, and closed, after their transports' owners); every one is closed even when one fails.
 */
final class Closer implements AutoCloseable {
    private final List<AutoCloseable> started = new ArrayList<>();

    <T extends AutoCloseable> T add(T closeable) {
        started.add(closeable);
        return closeable;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        started.clear();
        if (first != null) {
            throw first;
        }
    }
}
