package io.hyphae.spi.pubsub;

import io.hyphae.api.NodeId;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/** Verification of what a {@link NodeIdentity} signed. Never throws on bad input: it answers false. */
public final class Signatures {
    private Signatures() {
    }

    /**
     * Whether {@code signature} is a valid Ed25519 signature of {@code data} by {@code encodedPublicKey}, and that
     * key hashes to {@code claimed}.
     */
    public static boolean verify(NodeId claimed, byte[] encodedPublicKey, byte[] data, byte[] signature) {
        if (!NodeId.ofPublicKey(encodedPublicKey).equals(claimed)) {
            return false;
        }
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(encodedPublicKey));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code encodedPublicKey} hashes to {@code claimed}. */
    public static boolean keyMatches(NodeId claimed, byte[] encodedPublicKey) {
        return Arrays.equals(NodeId.ofPublicKey(encodedPublicKey).toBytes(), claimed.toBytes());
    }
}
