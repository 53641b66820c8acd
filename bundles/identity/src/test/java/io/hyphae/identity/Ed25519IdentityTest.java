package io.hyphae.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hyphae.api.NodeId;
import io.hyphae.spi.pubsub.Signatures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ed25519IdentityTest {
    @TempDir
    Path dir;

    @Test
    void nodeIdIsTheHashOfTheEncodedPublicKey() {
        Ed25519Identity identity = Ed25519Identity.generate();

        assertThat(identity.nodeId()).isEqualTo(NodeId.ofPublicKey(identity.publicKey().getEncoded()));
    }

    @Test
    void signatureVerifiesWithSignatures() {
        Ed25519Identity identity = Ed25519Identity.generate();
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);

        byte[] signature = identity.sign(data);

        assertThat(Signatures.verify(identity.nodeId(), identity.publicKey().getEncoded(), data, signature)).isTrue();
        assertThat(Signatures.verify(identity.nodeId(), identity.publicKey().getEncoded(),
                "hellO".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        assertThat(Signatures.verify(Ed25519Identity.generate().nodeId(), identity.publicKey().getEncoded(), data,
                signature)).isFalse();
    }

    @Test
    void persistenceRoundTripKeepsTheNodeId() {
        Path file = dir.resolve("sub/node.key");
        Ed25519Identity created = KeyFile.loadOrCreate(file);

        Ed25519Identity loaded = KeyFile.loadOrCreate(file);

        assertThat(loaded.nodeId()).isEqualTo(created.nodeId());
        byte[] data = {1, 2, 3};
        assertThat(Signatures.verify(created.nodeId(), created.publicKey().getEncoded(), data, loaded.sign(data)))
                .isTrue();
    }

    @Test
    void saveOverwritesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("node.key");
        KeyFile.save(Ed25519Identity.generate(), file);
        Ed25519Identity second = Ed25519Identity.generate();

        KeyFile.save(second, file);

        assertThat(KeyFile.load(file).nodeId()).isEqualTo(second.nodeId());
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void keyFileIsOwnerOnlyWherePosix() throws IOException {
        Path file = dir.resolve("node.key");
        KeyFile.save(Ed25519Identity.generate(), file);

        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(file))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        }
    }

    @Test
    void corruptKeyFileGivesInvalidKeyFileException() throws IOException {
        Path file = dir.resolve("node.key");
        KeyFile.save(Ed25519Identity.generate(), file);
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, text.length() / 3));

        assertThatThrownBy(() -> KeyFile.loadOrCreate(file))
                .isInstanceOf(InvalidKeyFileException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void garbageBase64GivesInvalidKeyFileException() throws IOException {
        Path file = dir.resolve("node.key");
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
                + "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");

        assertThatThrownBy(() -> KeyFile.load(file))
                .isInstanceOf(InvalidKeyFileException.class)
                .hasMessageContaining("does not hold an Ed25519 key pair");
    }

    @Test
    void keysOfTwoIdentitiesAreRefused() {
        Ed25519Identity a = Ed25519Identity.generate();
        Ed25519Identity b = Ed25519Identity.generate();

        assertThatThrownBy(() -> Ed25519Identity.of(new KeyPair(a.publicKey(), b.privateKey())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong");
    }

    @Test
    void oversizedKeyFileIsRefusedUnread() throws IOException {
        Path file = dir.resolve("node.key");
        Files.write(file, new byte[KeyFile.MAX_FILE_BYTES + 1]);

        assertThatThrownBy(() -> KeyFile.load(file)).isInstanceOf(InvalidKeyFileException.class)
                .hasMessageContaining("more than");
    }
}
