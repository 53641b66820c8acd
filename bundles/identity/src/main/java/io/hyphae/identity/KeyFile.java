package io.hyphae.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;

/**
 * Reads and writes an identity as one PEM-style text file: the PKCS#8 private key, then the X.509 public key. Writes
 * go to a temporary file beside the target (owner-only permissions where the file system has POSIX permissions) that
 * is then moved over it atomically, so a crash never leaves half a key. Files over {@value #MAX_FILE_BYTES} bytes are
 * refused unread. Stateless; safe from any thread, though two writers of one path race (the last move wins).
 */
public final class KeyFile {
    /** Larger than any Ed25519 key file; bounds what {@link #load} reads. */
    public static final int MAX_FILE_BYTES = 16 * 1024;
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private KeyFile() {
    }

    /**
     * The identity in {@code file}, or a new one written there when the file does not exist.
     *
     * @throws InvalidKeyFileException when the file exists but is not a valid identity
     * @throws UncheckedIOException    when the file cannot be read or written
     */
    public static Ed25519Identity loadOrCreate(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            return load(file);
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof NoSuchFileException)) {
                throw e;
            }
        }
        Ed25519Identity identity = Ed25519Identity.generate();
        save(identity, file);
        return identity;
    }

    /**
     * The identity in {@code file}.
     *
     * @throws InvalidKeyFileException when the file is not a valid identity
     * @throws UncheckedIOException    when it cannot be read (a missing file gives a {@link NoSuchFileException} cause)
     */
    public static Ed25519Identity load(Path file) {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new InvalidKeyFileException("key file " + file + " has " + size + " bytes, more than the "
                        + MAX_FILE_BYTES + " a key file can have");
            }
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key file " + file, e);
        }
        try {
            KeyFactory factory = KeyFactory.getInstance(Ed25519Identity.ALGORITHM);
            PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(section(text, PRIVATE, file)));
            PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(section(text, PUBLIC, file)));
            return Ed25519Identity.of(new KeyPair(publicKey, privateKey));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new InvalidKeyFileException("key file " + file + " does not hold an Ed25519 key pair: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code identity} to {@code file} atomically, creating missing parent directories.
     *
     * @throws UncheckedIOException when it cannot be written
     */
    public static void save(Ed25519Identity identity, Path file) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(file, "file");
        String text = pem(PRIVATE, identity.privateKey().getEncoded()) + pem(PUBLIC, identity.publicKey().getEncoded());
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = createOwnerOnly(dir, file.getFileName().toString());
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write key file " + file, e);
        }
    }

    private static Path createOwnerOnly(Path dir, String name) throws IOException {
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        for (int attempt = 0; ; attempt++) {
            try {
                return Files.createFile(dir.resolve("." + name + ".tmp" + attempt), attrs);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 16) {
                    throw e;
                }
            }
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write already failed; that failure is the one reported
            }
        }
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static byte[] section(String text, String label, Path file) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = text.indexOf(begin);
        int to = from < 0 ? -1 : text.indexOf(end, from);
        if (from < 0 || to < 0) {
            throw new InvalidKeyFileException("key file " + file + " has no " + label + " section");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyFileException("key file " + file + " has a " + label + " section that is not base64", e);
        }
    }
}
