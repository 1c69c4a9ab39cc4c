package dev.qsp.keysources.qkd;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import javax.net.ssl.SSLContext;

/**
 * Where and how this SAE gets QKD keys. Sizes in bits; the key size must be the same at both ends.
 *
 * @param kmeUrl         this SAE's KME, e.g. {@code https://kme-a.example:8443}
 * @param saeId          this SAE's ID (the CN of its client certificate, as the KME knows it)
 * @param peerSaeId      the peer's SAE ID at its own KME
 * @param keySizeBits    256 to 8192, multiple of 8 (default 256: the secret is 32 bytes)
 * @param connectTimeout TCP+TLS connect timeout
 * @param requestTimeout deadline for a whole request, answer included
 * @param maxAttempts    attempts per call, 1 to 10, see {@link QkdClient}
 * @param retryDelay     pause between attempts
 */
public record QkdSettings(URI kmeUrl, String saeId, String peerSaeId, int keySizeBits, Duration connectTimeout,
                          Duration requestTimeout, int maxAttempts, Duration retryDelay) {

    /** Property names, for {@link #fromProperties} (README, "Pointing QSP at a real KME"). */
    public static final String KME_URL = "qsp.qkd.kme.url";
    public static final String SAE_ID = "qsp.qkd.sae.id";
    public static final String PEER_SAE_ID = "qsp.qkd.peer.sae.id";
    public static final String KEY_SIZE = "qsp.qkd.key.size";
    public static final String KEYSTORE = "qsp.qkd.keystore";
    public static final String KEYSTORE_PASSWORD = "qsp.qkd.keystore.password";
    public static final String TRUSTSTORE = "qsp.qkd.truststore";
    public static final String TRUSTSTORE_PASSWORD = "qsp.qkd.truststore.password";
    public static final String CONNECT_TIMEOUT_MS = "qsp.qkd.connect.timeout.ms";
    public static final String REQUEST_TIMEOUT_MS = "qsp.qkd.request.timeout.ms";
    public static final String MAX_ATTEMPTS = "qsp.qkd.max.attempts";
    public static final String POLICY = "qsp.qkd.policy";

    /** Checks every component; a bad one is named in the {@link IllegalArgumentException}. */
    public QkdSettings {
        if (kmeUrl == null || !"https".equalsIgnoreCase(kmeUrl.getScheme()) || kmeUrl.getHost() == null) {
            throw new IllegalArgumentException("KME URL must be an https URL with a host, got " + kmeUrl);
        }
        SaeIds.requireSaeId(saeId, "SAE ID");
        SaeIds.requireSaeId(peerSaeId, "peer SAE ID");
        if (saeId.equals(peerSaeId)) {
            throw new IllegalArgumentException("SAE ID and peer SAE ID must differ, both are " + saeId);
        }
        if (keySizeBits < 256 || keySizeBits > 8192 || keySizeBits % 8 != 0) {
            throw new IllegalArgumentException("QKD key size must be a multiple of 8 in 256..8192 bits, got " + keySizeBits);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("max attempts must be 1..10, got " + maxAttempts);
        }
        if (retryDelay.isNegative()) {
            throw new IllegalArgumentException("retry delay must not be negative");
        }
    }

    /**
     * {@return settings with 256-bit keys, 2 s connect, 5 s per request, 3 attempts 200 ms apart}
     *
     * @param kmeUrl    this SAE's KME
     * @param saeId     this SAE's ID
     * @param peerSaeId the peer's SAE ID
     */
    public static QkdSettings of(URI kmeUrl, String saeId, String peerSaeId) {
        return new QkdSettings(kmeUrl, saeId, peerSaeId, 256, Duration.ofSeconds(2), Duration.ofSeconds(5), 3,
                Duration.ofMillis(200));
    }

    /**
     * {@return these settings with other timeouts}
     *
     * @param connect bound on connecting to the KME
     * @param request bound on each request's answer
     */
    public QkdSettings withTimeouts(Duration connect, Duration request) {
        return new QkdSettings(kmeUrl, saeId, peerSaeId, keySizeBits, connect, request, maxAttempts, retryDelay);
    }

    /**
     * {@return these settings with another retry policy}
     *
     * @param attempts 1 to 10 attempts per call
     * @param delay    pause between attempts
     */
    public QkdSettings withRetries(int attempts, Duration delay) {
        return new QkdSettings(kmeUrl, saeId, peerSaeId, keySizeBits, connectTimeout, requestTimeout, attempts, delay);
    }

    /**
     * {@return these settings with another key size}
     *
     * @param bits a multiple of 8 in 256..8192
     */
    public QkdSettings withKeySize(int bits) {
        return new QkdSettings(kmeUrl, saeId, peerSaeId, bits, connectTimeout, requestTimeout, maxAttempts, retryDelay);
    }

    /**
     * {@return a client over HTTPS with mutual TLS from {@code tls}}
     *
     * @param tls the mutual-TLS context towards the KME
     */
    public QkdClient newClient(SSLContext tls) {
        return new QkdClient(kmeUrl, saeId, new HttpClientTransport(tls, connectTimeout, requestTimeout), maxAttempts,
                retryDelay);
    }

    /**
     * Reads the {@code qsp.qkd.*} properties; missing mandatory ones are named in the exception.
     *
     * @param p the properties
     * @return the settings
     */
    public static QkdSettings fromProperties(Properties p) {
        QkdSettings s = of(URI.create(required(p, KME_URL)), required(p, SAE_ID), required(p, PEER_SAE_ID));
        int size = Integer.parseInt(p.getProperty(KEY_SIZE, "256"));
        Duration connect = Duration.ofMillis(Long.parseLong(p.getProperty(CONNECT_TIMEOUT_MS, "2000")));
        Duration request = Duration.ofMillis(Long.parseLong(p.getProperty(REQUEST_TIMEOUT_MS, "5000")));
        int attempts = Integer.parseInt(p.getProperty(MAX_ATTEMPTS, "3"));
        return new QkdSettings(s.kmeUrl(), s.saeId(), s.peerSaeId(), size, connect, request, attempts, s.retryDelay());
    }

    /**
     * {@return the mutual-TLS context from the {@code qsp.qkd.keystore*} and {@code qsp.qkd.truststore*} properties}
     *
     * @param p the properties
     * @throws GeneralSecurityException if a store cannot be used (wrong password, bad content)
     * @throws IOException              if a store cannot be read
     */
    public static SSLContext tlsFromProperties(Properties p) throws GeneralSecurityException, IOException {
        char[] ksPass = required(p, KEYSTORE_PASSWORD).toCharArray();
        char[] tsPass = required(p, TRUSTSTORE_PASSWORD).toCharArray();
        try {
            return TlsMaterial.sslContext(Path.of(required(p, KEYSTORE)), ksPass, Path.of(required(p, TRUSTSTORE)), tsPass);
        } finally {
            Arrays.fill(ksPass, '\0');
            Arrays.fill(tsPass, '\0');
        }
    }

    private static String required(Properties p, String name) {
        String v = p.getProperty(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("QKD setting " + name + " is missing");
        }
        return v.trim();
    }
}
