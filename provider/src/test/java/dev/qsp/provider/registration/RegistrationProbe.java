package dev.qsp.provider.registration;

import dev.qsp.provider.kdf.HybridExtractSpec;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import java.util.ServiceLoader;
import javax.crypto.KDF;
import javax.crypto.KEM;
import javax.crypto.SecretKey;

/**
 * Child-JVM program for {@link ProviderRegistrationIT}: finds the QSP provider the way a user would, then uses
 * each kind of service once. Prints one line {@code OK <how> named=<module named?>} or exits non-zero.
 */
public final class RegistrationProbe {
    private RegistrationProbe() {}

    public static void main(String[] args) throws Exception {
        String how = args[0];
        Provider provider = switch (how) {
            case "add-provider" -> {
                Security.addProvider(new dev.qsp.provider.QspProvider());
                yield Security.getProvider("QSP");
            }
            // security.provider.N=dev.qsp.provider.QspProvider in a -Djava.security.properties= override
            case "security-properties" -> Security.getProvider("QSP");
            case "service-loader" -> ServiceLoader.load(Provider.class).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(p -> p.getName().equals("QSP"))
                    .findFirst().orElse(null);
            default -> throw new IllegalArgumentException("unknown mode " + how);
        };
        if (provider == null) {
            System.out.println("NOT FOUND " + how);
            System.exit(2);
        }
        boolean global = !how.equals("service-loader");
        for (String alg : new String[] {"X-Wing", "X25519MLKEM768"}) {
            // Installed providers are found without naming them: that is what global registration means.
            KeyPairGenerator g = global ? KeyPairGenerator.getInstance(alg) : KeyPairGenerator.getInstance(alg, provider);
            KEM kem = global ? KEM.getInstance(alg) : KEM.getInstance(alg, provider);
            KeyPair kp = g.generateKeyPair();
            KEM.Encapsulator encapsulator = kem.newEncapsulator(kp.getPublic());
            if (!encapsulator.providerName().equals("QSP")) {
                throw new AssertionError(alg + " came from " + encapsulator.providerName());
            }
            KEM.Encapsulated enc = encapsulator.encapsulate();
            SecretKey ss = kem.newDecapsulator(kp.getPrivate()).decapsulate(enc.encapsulation());
            if (!MessageDigest.isEqual(ss.getEncoded(), enc.key().getEncoded())) {
                throw new AssertionError(alg + ": decapsulated secret differs");
            }
        }
        KDF kdf = global ? KDF.getInstance("QSP-KDF") : KDF.getInstance("QSP-KDF", provider);
        byte[] hs = kdf.deriveData(HybridExtractSpec.of(new byte[32], null, null));
        if (hs.length != 48) {
            throw new AssertionError("QSP-KDF handshake secret has " + hs.length + " bytes");
        }
        System.out.println("OK " + how + " named=" + provider.getClass().getModule().isNamed());
    }
}
