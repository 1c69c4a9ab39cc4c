package dev.qsp.sockets.engine;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;

/**
 * The JCA objects the engine creates per connection, from the provider the default selection chose the first
 * time (performance, SPEC.md §4.15). {@code getInstance(algorithm)} without a provider walks the provider list
 * on every call, and {@code Cipher} and {@code Mac} keep their delayed-selection state (a transform list, a
 * service iterator) in each object until its first {@code init}: per connection that is CPU and heap which
 * buys nothing, since the same provider answers every time. So the provider is looked up once per algorithm
 * through the ordinary default selection (whichever provider that is: no provider is hard-wired) and each later
 * object comes from it directly. A provider installed or removed after the first connection is not followed.
 */
final class JcaProviders {
    // Plain maps under the class lock (the engine package uses no java.util.concurrent, ImportBoundaryTest);
    // a handful of entries, looked up once per Cipher/Mac/MessageDigest made.
    private static final Map<String, Provider> CIPHERS = new HashMap<>();
    private static final Map<String, Provider> MACS = new HashMap<>();
    private static final Map<String, Provider> DIGESTS = new HashMap<>();

    private static synchronized Provider get(Map<String, Provider> m, String algorithm) { return m.get(algorithm); }

    private static synchronized void put(Map<String, Provider> m, String algorithm, Provider p) {
        m.putIfAbsent(algorithm, p);
    }

    private JcaProviders() {}

    static Cipher cipher(String transformation) throws GeneralSecurityException {
        Provider p = get(CIPHERS, transformation);
        if (p != null) return Cipher.getInstance(transformation, p);
        Cipher c = Cipher.getInstance(transformation);
        put(CIPHERS, transformation, c.getProvider()); // getProvider() completes the default selection
        return c;
    }

    static Mac mac(String algorithm) throws NoSuchAlgorithmException {
        Provider p = get(MACS, algorithm);
        if (p != null) return Mac.getInstance(algorithm, p);
        Mac m = Mac.getInstance(algorithm);
        put(MACS, algorithm, m.getProvider()); // as for Cipher
        return m;
    }

    static MessageDigest digest(String algorithm) throws NoSuchAlgorithmException {
        Provider p = get(DIGESTS, algorithm);
        if (p != null) return MessageDigest.getInstance(algorithm, p);
        MessageDigest d = MessageDigest.getInstance(algorithm);
        put(DIGESTS, algorithm, d.getProvider());
        return d;
    }
}
