package io.hyphae.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes raw CBOR item by item, so tests can build what the codec would never encode. */
final class CborBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A head of {@code major} type with argument {@code value}, in the shortest form (unsigned value). */
    CborBytes head(int major, long value) {
        int type = major << 5;
        if (value >= 0 && value < 24) {
            out.write(type | (int) value);
        } else if (value >= 0 && value < 0x100) {
            out.write(type | 24);
            out.write((int) value);
        } else if (value >= 0 && value < 0x10000) {
            out.write(type | 25);
            bigEndian(value, 2);
        } else if (value >= 0 && value < 0x1_0000_0000L) {
            out.write(type | 26);
            bigEndian(value, 4);
        } else {
            out.write(type | 27);
            bigEndian(value, 8);
        }
        return this;
    }

    /** A head with an explicit argument width of 1, 2, 4 or 8 bytes. */
    CborBytes head(int major, long value, int widthBytes) {
        int info = switch (widthBytes) {
            case 1 -> 24;
            case 2 -> 25;
            case 4 -> 26;
            case 8 -> 27;
            default -> throw new IllegalArgumentException("width " + widthBytes);
        };
        out.write((major << 5) | info);
        bigEndian(value, widthBytes);
        return this;
    }

    CborBytes array(int length) {
        return head(4, length);
    }

    CborBytes uint(long value) {
        return head(0, value);
    }

    CborBytes integer(long value) {
        return value >= 0 ? head(0, value) : head(1, -1 - value);
    }

    CborBytes bytes(byte[] bytes) {
        head(2, bytes.length);
        out.write(bytes, 0, bytes.length);
        return this;
    }

    CborBytes bytes(int length) {
        return bytes(new byte[length]);
    }

    CborBytes text(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        head(3, utf8.length);
        out.write(utf8, 0, utf8.length);
        return this;
    }

    CborBytes raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    CborBytes raw(byte[] bytes) {
        out.write(bytes, 0, bytes.length);
        return this;
    }

    /** The packet header: an array of {@code 4 + fields}, version 1, a kind, request id 7 and the frame type. */
    CborBytes packet(int kind, int frameType, int fields) {
        return array(4 + fields).uint(FrameCodec.VERSION).uint(kind).uint(7).uint(frameType);
    }

    /** A contact of {@code nodeIdHex} (64 hex digits) with the given endpoint strings. */
    CborBytes contact(byte[] nodeId, String... endpoints) {
        array(2).bytes(nodeId).array(endpoints.length);
        for (String endpoint : endpoints) {
            text(endpoint);
        }
        return this;
    }

    /** A record with all-zero ids and the given sizes of value, public key and signature. */
    CborBytes record(int valueBytes, int publicKeyBytes, int signatureBytes) {
        return array(7).bytes(32).bytes(32).uint(1).uint(1_000).bytes(valueBytes).bytes(publicKeyBytes)
                .bytes(signatureBytes);
    }

    byte[] build() {
        return out.toByteArray();
    }

    private void bigEndian(long value, int widthBytes) {
        for (int i = widthBytes - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)));
        }
    }
}
