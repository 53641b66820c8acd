package io.hyphae.wire;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * An unsynchronised, growable byte array to encode into; hands its array out without a copy when the first size
 * guess was exact. Confined to one thread.
 */
final class ByteSink extends OutputStream {
    private byte[] buffer;
    private int size;

    ByteSink(int initialCapacity) {
        this.buffer = new byte[initialCapacity];
    }

    @Override
    public void write(int b) {
        ensure(1);
        buffer[size++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        ensure(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    /** The bytes written; the internal array itself when it is exactly full. */
    byte[] toByteArray() {
        return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
    }

    private void ensure(int more) {
        if (buffer.length - size < more) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
