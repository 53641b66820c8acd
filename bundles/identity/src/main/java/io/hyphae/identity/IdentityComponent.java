package io.hyphae.identity;

import io.hyphae.api.NodeId;
import io.hyphae.spi.pubsub.NodeIdentity;
import java.io.File;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides the node's {@link NodeIdentity} in OSGi: loads the key file, or creates it on first start. Wiring only;
 * the work is {@link KeyFile} and {@link Ed25519Identity}. Reading or writing one small local file in activate is
 * bounded, so it is done there. A new configuration re-activates the component (new file, maybe a new id).
 */
@Component(service = NodeIdentity.class, configurationPid = "io.hyphae.identity")
@Designate(ocd = IdentityComponent.Config.class)
public final class IdentityComponent implements NodeIdentity {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityComponent.class);
    static final String DEFAULT_FILE_NAME = "node.key";

    /** Configuration of PID {@code io.hyphae.identity}. */
    @ObjectClassDefinition(name = "Hyphae node identity",
            description = "The node's Ed25519 key pair; its node id is the SHA-256 of the public key.")
    public @interface Config {
        @AttributeDefinition(name = "Key file", required = false,
                description = "Path of the key file (PKCS#8 + X.509, PEM); empty: node.key in the bundle data area")
        String keyFile() default IdentitySettings.DEFAULT_KEY_FILE;
    }

    private final Ed25519Identity identity;

    @Activate
    public IdentityComponent(Config config, BundleContext context) {
        this(IdentitySettings.from(config), context);
    }

    IdentityComponent(IdentitySettings settings, BundleContext context) {
        Path file = keyFile(settings, context);
        this.identity = KeyFile.loadOrCreate(file);
        LOG.info("node identity {} from {}", identity.nodeId().shortHex(), file);
    }

    private static Path keyFile(IdentitySettings settings, BundleContext context) {
        if (!settings.keyFile().isEmpty()) {
            return Path.of(settings.keyFile());
        }
        File data = context.getDataFile(DEFAULT_FILE_NAME);
        if (data == null) {
            throw new IllegalStateException("the framework has no bundle data area and keyFile is not configured");
        }
        return data.toPath();
    }

    @Override
    public NodeId nodeId() {
        return identity.nodeId();
    }

    @Override
    public PublicKey publicKey() {
        return identity.publicKey();
    }

    @Override
    public PrivateKey privateKey() {
        return identity.privateKey();
    }

    @Override
    public byte[] sign(byte[] data) {
        return identity.sign(data);
    }
}
