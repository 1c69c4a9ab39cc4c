package dev.qsp.provider;

import java.io.Serial;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.List;
import java.util.Map;
import javax.crypto.KDFParameters;

import dev.qsp.provider.kdf.QspKdfSpi;

import dev.qsp.provider.kem.HybridKemSpi;
import dev.qsp.provider.kem.HybridKeyFactory;
import dev.qsp.provider.kem.HybridKeyPairGenerator;

/**
 * The {@code QSP} JCA provider.
 *
 * <p>Every service is listed once, in {@link #registerServices()}, and each SPI is created with {@code new}
 * through a {@link SpiFactory}: no class is looked up by name and no reflection is used (the shape of
 * SunJCE's {@code putEntries()} and SunPCSC's service subclass). Register it any of the usual ways:
 * {@code Security.addProvider(new QspProvider())}, a {@code security.provider.N=dev.qsp.provider.QspProvider}
 * line in a {@code java.security} override, or ServiceLoader on the class or module path.
 */
public final class QspProvider extends Provider {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The provider name used with {@code getInstance(algorithm, "QSP")}. */
    public static final String NAME = "QSP";

    private static final String INFO =
            "QSP provider: X-Wing and X25519MLKEM768 hybrid KEMs, QSP-KDF key schedule over HKDF-SHA384";

    /** Creates the provider and registers all of its services. */
    public QspProvider() {
        super(NAME, "0.1", INFO);
        registerServices();
    }

    /** {@return one provider instance for internal callers that need the services without installing it globally} */
    public static QspProvider instance() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final QspProvider INSTANCE = new QspProvider();
    }

    /** The registration table: the one place that says which services this provider offers. */
    private void registerServices() {
        // --- KEM services (hybrid KEMs) ---
        // X-Wing (SPEC.md §2): the draft's OID is an alias so that OID-based lookups find it.
        List<String> xWing = List.of("XWING", "1.3.6.1.4.1.62253.25722", "OID.1.3.6.1.4.1.62253.25722");
        register("KEM", "X-Wing", HybridKemSpi.class, xWing, Map.of(), p -> HybridKemSpi.xWing());
        register("KeyPairGenerator", "X-Wing", HybridKeyPairGenerator.class, xWing, Map.of(),
                p -> HybridKeyPairGenerator.xWing());
        register("KeyFactory", "X-Wing", HybridKeyFactory.class, xWing, Map.of(), p -> HybridKeyFactory.xWing());
        // X25519MLKEM768 (SPEC.md §2): TLS concatenation hybrid; no standard OID, raw keys only.
        register("KEM", "X25519MLKEM768", HybridKemSpi.class, List.of(), Map.of(),
                p -> HybridKemSpi.x25519MlKem768());
        register("KeyPairGenerator", "X25519MLKEM768", HybridKeyPairGenerator.class, List.of(), Map.of(),
                p -> HybridKeyPairGenerator.x25519MlKem768());
        register("KeyFactory", "X25519MLKEM768", HybridKeyFactory.class, List.of(), Map.of(),
                p -> HybridKeyFactory.x25519MlKem768());

        // --- KDF services (key schedule) ---
        register("KDF", QspKdfSpi.ALGORITHM, QspKdfSpi.class, List.of(), Map.of(), p -> {
            if (p != null && !(p instanceof KDFParameters)) {
                throw new InvalidAlgorithmParameterException(
                        "QSP-KDF expects KDFParameters or null, got " + p.getClass().getName());
            }
            return new QspKdfSpi((KDFParameters) p);
        });
    }

    private void register(String type, String algorithm, Class<?> spiClass, List<String> aliases,
                          Map<String, String> attributes, SpiFactory factory) {
        putService(new QspService(this, type, algorithm, spiClass.getName(), aliases, attributes, factory));
    }

    /** Creates one SPI instance; {@code parameter} is the {@code getInstance} parameter, if any (KDF uses it). */
    @FunctionalInterface
    interface SpiFactory {
        Object create(Object parameter) throws InvalidAlgorithmParameterException;
    }

    /** A service whose SPI is built by a factory instead of by reflection on its class name. */
    private static final class QspService extends Provider.Service {
        private final SpiFactory factory;

        QspService(Provider provider, String type, String algorithm, String className, List<String> aliases,
                   Map<String, String> attributes, SpiFactory factory) {
            super(provider, type, algorithm, className, aliases, attributes);
            this.factory = factory;
        }

        @Override
        public Object newInstance(Object parameter) throws NoSuchAlgorithmException {
            try {
                return factory.create(parameter);
            } catch (InvalidAlgorithmParameterException e) {
                // The JCA (e.g. KDF.getInstance) unwraps this cause and reports it to the caller.
                throw new NoSuchAlgorithmException(
                        "Cannot create " + getType() + "." + getAlgorithm() + ": " + e.getMessage(), e);
            }
        }
    }
}
