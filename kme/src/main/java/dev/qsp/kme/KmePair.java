package dev.qsp.kme;

import dev.qsp.keysources.qkd.TlsMaterial;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.net.ssl.SSLContext;

/**
 * Two simulated KMEs joined by one shared key pool, as two KMEs joined by a QKD link: KME_A serves SAE_A,
 * KME_B serves SAE_B. Keys SAE_A gets from KME_A with enc_keys are fetched by SAE_B from KME_B with dec_keys,
 * and the other way round. Both listen on 127.0.0.1, port chosen by the system.
 */
public final class KmePair implements AutoCloseable {
    /** The KME ID of SAE_A's KME. */
    public static final String KME_A = "KME_A";
    /** The KME ID of SAE_B's KME. */
    public static final String KME_B = "KME_B";
    /** The SAE that KME_A serves. */
    public static final String SAE_A = "SAE_A";
    /** The SAE that KME_B serves. */
    public static final String SAE_B = "SAE_B";

    private final KmePki pki;
    private final SharedKeyPool pool;
    private final SimulatedKme a;
    private final SimulatedKme b;

    private KmePair(KmePki pki, SharedKeyPool pool, SimulatedKme a, SimulatedKme b) {
        this.pki = pki;
        this.pool = pool;
        this.a = a;
        this.b = b;
    }

    /**
     * Starts both KMEs on 127.0.0.1 with a new throwaway PKI.
     *
     * @param settings   limits and behaviours of both KMEs
     * @param keyRandom  source of key material and key IDs (seeded in tests)
     * @param tlsRandom  source of the throwaway TLS keys
     * @return the running pair; close it to stop both
     * @throws GeneralSecurityException if the TLS material cannot be made
     * @throws IOException              if a KME cannot listen
     */
    public static KmePair start(KmeSettings settings, SecureRandom keyRandom, SecureRandom tlsRandom)
            throws GeneralSecurityException, IOException {
        char[] password = new char[20];
        String alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        for (int i = 0; i < password.length; i++) {
            password[i] = alphabet.charAt(tlsRandom.nextInt(alphabet.length()));
        }
        KmePki pki = new KmePki(tlsRandom, password);
        SharedKeyPool pool = new SharedKeyPool(settings, keyRandom);
        SimulatedKme a = new SimulatedKme(KME_A, serverContext(pki, KME_A), pool);
        SimulatedKme b;
        try {
            b = new SimulatedKme(KME_B, serverContext(pki, KME_B), pool);
        } catch (IOException | RuntimeException e) {
            a.close();
            throw e;
        }
        a.register(SAE_A);
        b.register(SAE_B);
        return new KmePair(pki, pool, a, b);
    }

    /**
     * Starts a pair with the default settings and system randomness.
     *
     * @return the running pair; close it to stop both
     * @throws GeneralSecurityException if the TLS material cannot be made
     * @throws IOException              if a KME cannot listen
     */
    public static KmePair start() throws GeneralSecurityException, IOException {
        SecureRandom r = new SecureRandom();
        return start(KmeSettings.defaults(), r, r);
    }

    private static SSLContext serverContext(KmePki pki, String kmeId) throws GeneralSecurityException {
        return TlsMaterial.sslContext(pki.serverKeyStore(kmeId), pki.password(), pki.trustStore());
    }

    /** {@return KME_A, which serves SAE_A} */
    public SimulatedKme kmeA() {
        return a;
    }

    /** {@return KME_B, which serves SAE_B} */
    public SimulatedKme kmeB() {
        return b;
    }

    /**
     * {@return the KME an SAE of this pair talks to}
     *
     * @param saeId {@link #SAE_A} or {@link #SAE_B}
     */
    public SimulatedKme kmeOf(String saeId) {
        return switch (saeId) {
            case SAE_A -> a;
            case SAE_B -> b;
            default -> throw new IllegalArgumentException("no SAE " + saeId + " in this pair");
        };
    }

    /** {@return the pair's throwaway PKI} */
    public KmePki pki() {
        return pki;
    }

    /**
     * {@return a mutual-TLS context for an SAE whose certificate (CN = {@code saeId}) this pair's CA signs}
     *
     * @param saeId the SAE ID, the certificate's CN
     * @throws GeneralSecurityException if the certificate cannot be made
     */
    public SSLContext clientContext(String saeId) throws GeneralSecurityException {
        return pki.clientContext(saeId);
    }

    /** {@return the current limits and behaviours of both KMEs} */
    public KmeSettings settings() {
        return pool.settings();
    }

    /**
     * Changes limits and behaviours of both KMEs from the next request on.
     *
     * @param s the new settings
     */
    public void settings(KmeSettings s) {
        pool.settings(s);
    }

    /**
     * Empties the pool for master → slave: status reports 0 keys and enc_keys fails.
     *
     * @param masterSaeId the SAE that calls enc_keys
     * @param slaveSaeId  the SAE that calls dec_keys
     */
    public void drain(String masterSaeId, String slaveSaeId) {
        pool.drain(masterSaeId, slaveSaeId);
    }

    /**
     * While held, the slave's KME does not yet know keys handed out by the master's KME.
     *
     * @param hold true to hold the relay, false to release it
     */
    public void holdRelay(boolean hold) {
        pool.holdRelay(hold);
    }

    /**
     * Writes the trust store, the CA certificate (PEM) and both SAEs' key stores (PKCS#12) into {@code dir}.
     *
     * @param dir an existing directory
     * @return the files written
     * @throws GeneralSecurityException if a store cannot be encoded
     * @throws IOException              if a file cannot be written
     */
    public Material writeMaterial(Path dir) throws GeneralSecurityException, IOException {
        Material m = new Material(dir.resolve("kme-ca-truststore.p12"), dir.resolve("kme-ca.pem"),
                dir.resolve("sae-a.p12"), dir.resolve("sae-b.p12"));
        pki.write(pki.trustStore(), m.trustStore());
        java.nio.file.Files.writeString(m.caPem(), "-----BEGIN CERTIFICATE-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                        .encodeToString(pki.caCertificate().getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        pki.write(pki.clientKeyStore(SAE_A), m.saeAKeyStore());
        pki.write(pki.clientKeyStore(SAE_B), m.saeBKeyStore());
        return m;
    }

    /**
     * The files {@link #writeMaterial} wrote; the PKCS#12 ones use {@link KmePki#password()}.
     *
     * @param trustStore   PKCS#12 trust store with the CA
     * @param caPem        the CA certificate, PEM
     * @param saeAKeyStore SAE_A's PKCS#12 key store
     * @param saeBKeyStore SAE_B's PKCS#12 key store
     */
    public record Material(Path trustStore, Path caPem, Path saeAKeyStore, Path saeBKeyStore) {
    }

    @Override
    public void close() {
        a.close();
        b.close();
    }
}
