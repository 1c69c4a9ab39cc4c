package dev.qsp.sockets;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.qkd.QkdKeySource;
import dev.qsp.keysources.qkd.QkdPolicy;
import dev.qsp.keysources.qkd.QkdSettings;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a QSP endpoint needs to know before it connects: its identity, how it verifies the peer, the
 * suites it offers, its rekey policy, client authentication, extra key sources and the handshake time limit
 * (SPEC.md §6). Immutable and thread-safe; one context serves any number of sockets.
 *
 * <p>Like {@code javax.net.ssl.SSLContext}, a context hands out the socket factories existing code already
 * accepts: {@link #getSocketFactory()} and {@link #getServerSocketFactory()}. {@link #fromSystemProperties()}
 * builds the context that {@link QspSocketFactory#getDefault()} uses.
 *
 * <pre>{@code
 * QspContext ctx = QspContext.builder()
 *         .identity(keyStore, password, "server")
 *         .trustStore(trustStore)
 *         .build();
 * ServerSocket ss = ctx.getServerSocketFactory().createServerSocket(9000);
 * }</pre>
 */
public final class QspContext {
    /** Default bound on handshake time (SPEC.md §6.2). */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    /** Default first-flight deadline of a server: the ClientHello complete within 5 s (SPEC.md §4.13). */
    public static final Duration DEFAULT_HELLO_TIMEOUT = Duration.ofSeconds(5);
    /** Default minimum interval between client-requested fresh rekeys a server honours (SPEC.md §4.10). */
    public static final Duration DEFAULT_MIN_FRESH_REKEY_INTERVAL = Duration.ofSeconds(60);

    /** Whether a server asks its clients for an identity. */
    public enum ClientAuth {
        /** Clients are anonymous (only the server is authenticated). */
        NONE,
        /** Clients must present an identity the server's trust accepts, or the handshake fails. */
        REQUIRED
    }

    private final QspIdentity identity;
    private final QspTrust trust;
    private final String expectedPeerIdentity;
    private final List<String> suites;
    private final List<String> signatureAlgorithms;
    private final long rekeyAfterRecords;
    private final long rekeyAfterBytes;
    private final Duration rekeyInterval;
    private final boolean freshRekeys;
    private final ClientAuth clientAuth;
    private final List<KeySource> keySources;
    private final Duration handshakeTimeout;
    private final SecureRandom random;
    private final long hardRecordLimit;
    private final Duration helloTimeout;
    private final Duration minFreshRekeyInterval;
    private final boolean clientFreshRekeys;
    private final AdmissionGate admissionGate;
    /** The server engines' configuration, built on first use: it depends on nothing per connection. */
    private volatile dev.qsp.sockets.engine.QspEngineConfig serverEngineConfig;
    /** Debug log, JFR, counters and key log of this context's connections (SPEC.md §6.6). */
    private final ContextObserver observer;

    private QspContext(Builder b) {
        this.identity = b.identity;
        this.trust = b.trust;
        this.expectedPeerIdentity = b.expectedPeerIdentity;
        this.suites = List.copyOf(b.suites);
        this.signatureAlgorithms = List.copyOf(b.signatureAlgorithms);
        this.rekeyAfterRecords = b.rekeyAfterRecords;
        this.rekeyAfterBytes = b.rekeyAfterBytes;
        this.rekeyInterval = b.rekeyInterval;
        this.freshRekeys = b.freshRekeys;
        this.clientAuth = b.clientAuth;
        this.keySources = List.copyOf(b.keySources);
        this.handshakeTimeout = b.handshakeTimeout;
        this.random = b.random;
        this.hardRecordLimit = b.hardRecordLimit;
        this.helloTimeout = b.helloTimeout;
        this.minFreshRekeyInterval = b.minFreshRekeyInterval;
        this.clientFreshRekeys = b.clientFreshRekeys;
        this.admissionGate = new AdmissionGate(b.maxHandshakes, b.maxHandshakesPerAddress);
        this.observer = ContextObserver.fromSystemProperties(b.name, keySources);
    }

    /** {@return a builder with the defaults of SPEC.md §6 (no identity, no trust: set what your role needs)} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The context described by the {@code dev.qsp.*} system properties (SPEC.md §6.5), as
     * {@link QspSocketFactory#getDefault()} builds it.
     *
     * @return the context
     * @throws QspConfigurationException naming the property that is missing or wrong
     */
    public static QspContext fromSystemProperties() throws QspConfigurationException {
        return SystemPropertyConfig.load(System.getProperties());
    }

    /**
     * The context described by {@code properties} as if they were the system properties (the {@code dev.qsp.*}
     * and {@code qsp.qkd.*} keys of SPEC.md §6.5; others are ignored), for a program that configures several
     * endpoints from one file, such as {@code ./qsp tunnel --config}. {@code role} ("client" or "server") checks
     * that what the role needs is there, or is null to check nothing.
     *
     * @param properties the settings, keyed as the system properties
     * @param role       {@code "client"}, {@code "server"} or {@code null}
     * @return the context
     * @throws QspConfigurationException naming the property that is missing or wrong
     */
    public static QspContext fromProperties(java.util.Map<String, String> properties, String role)
            throws QspConfigurationException {
        java.util.Properties p = new java.util.Properties();
        p.putAll(properties);
        QspContext ctx = SystemPropertyConfig.load(SystemPropertyConfig.snapshot(p));
        if ("client".equals(role)) SystemPropertyConfig.requireClientSettings(ctx);
        if ("server".equals(role)) SystemPropertyConfig.requireServerSettings(ctx);
        return ctx;
    }

    /**
     * A factory for client sockets that run QSP over TCP.
     *
     * @return the factory
     * @throws IllegalStateException if this context has no trust (a client must verify its server)
     */
    public QspSocketFactory getSocketFactory() {
        return new QspSocketFactory(this);
    }

    /**
     * A factory for server sockets whose accepted connections run QSP.
     *
     * @return the factory
     * @throws IllegalStateException if this context has no identity (a server must prove who it is)
     */
    public QspServerSocketFactory getServerSocketFactory() {
        return new QspServerSocketFactory(this);
    }

    /**
     * A client engine for non-blocking callers (SPEC.md §4.15): the same configuration as this context's client
     * sockets. The server must prove this context's expected peer identity or, when it names none,
     * {@code peerHost} (a host name, or an IP literal matched against iPAddress SANs).
     *
     * @param peerHost the server's host name or IP literal
     * @return the engine, before its handshake
     * @throws IllegalStateException if this context has no trust
     * @throws IllegalArgumentException if the server identity cannot be checked (PKIX with no expected identity)
     */
    public QspNioEngine createClientEngine(String peerHost) {
        return QspNioEngine.create(this, dev.qsp.sockets.engine.QspEngine.Role.CLIENT, peerHost);
    }

    /**
     * A server engine for non-blocking callers (SPEC.md §4.15), configured as this context's server sockets. It
     * is not admitted by {@link #admissionGate()}: a server accepting connections uses
     * {@link #admitServerEngine(java.net.InetAddress)}.
     *
     * @return the engine, before its handshake
     * @throws IllegalStateException if this context has no identity
     */
    public QspNioEngine createServerEngine() {
        return QspNioEngine.create(this, dev.qsp.sockets.engine.QspEngine.Role.SERVER, null);
    }

    /**
     * A server engine for a connection just accepted from {@code peer}, admitted by this context's
     * {@link #admissionGate()} before anything is allocated for it (SPEC.md §6.2); null when a cap is full: the
     * refusal is counted, and the caller closes the connection at once (with a reset). The engine holds its
     * place until the handshake completes, fails or the engine is aborted.
     *
     * @param peer the source address of the accepted connection (what the per-address cap counts)
     * @return the engine, before its handshake, or null if a cap is full
     * @throws IllegalStateException if this context has no identity
     */
    public QspNioEngine admitServerEngine(java.net.InetAddress peer) {
        return QspNioEngine.admit(this, peer);
    }

    /** {@return this side's identity, or null (an anonymous client)} */
    public QspIdentity identity() { return identity; }

    /** {@return how the peer is verified, or null (a server that does not authenticate clients)} */
    public QspTrust trust() { return trust; }

    /**
     * {@return the identity the peer must prove (SAN dNSName/IP or CN), or null: a client then expects the host name it
     * connects to, a server accepts any identity its trust accepts}
     */
    public String expectedPeerIdentity() { return expectedPeerIdentity; }

    /** {@return the offered or accepted AEAD suites in order of preference; empty means the engine's defaults} */
    public List<String> suites() { return suites; }

    /** {@return the accepted peer signature algorithms; empty means every algorithm the engine supports} */
    public List<String> signatureAlgorithms() { return signatureAlgorithms; }

    /**
     * {@return the record count after which the server rekeys an epoch, counting either direction (clients never
     * trigger rekeys; the server's receive count covers what they send); 0 means the suite's safe default
     * (AES-256-GCM: 2^23)}
     */
    public long rekeyAfterRecords() { return rekeyAfterRecords; }

    /** {@return as {@link #rekeyAfterRecords()} for plaintext bytes; 0 means the default (2^34 bytes, 16 GiB)} */
    public long rekeyAfterBytes() { return rekeyAfterBytes; }

    /** {@return the epoch age at which the server rekeys; {@link Duration#ZERO} means the default (one hour)} */
    public Duration rekeyInterval() { return rekeyInterval; }

    /**
     * {@return whether the rekeys this side's triggers start are fresh (a new hybrid KEM exchange: post-compromise
     * security) rather than ratchets (HKDF only: forward secrecy)} SPEC.md §4.10.
     */
    public boolean freshRekeys() { return freshRekeys; }

    /** {@return whether a server requires its clients to authenticate} */
    public ClientAuth clientAuth() { return clientAuth; }

    /** {@return the key sources contributing beyond the hybrid KEM (e.g. QKD), in the order they join the handshake} */
    public List<KeySource> keySources() { return keySources; }

    /** {@return how long a handshake may take before it fails with {@link QspHandshakeException}} */
    public Duration handshakeTimeout() { return handshakeTimeout; }

    /** {@return a server's first-flight deadline: the ClientHello must be complete this long after accept (SPEC.md §4.13)} */
    public Duration helloTimeout() { return helloTimeout; }

    /** {@return the shortest time between two client-requested fresh rekeys a server honours (SPEC.md §4.10)} */
    public Duration minFreshRekeyInterval() { return minFreshRekeyInterval; }

    /** {@return whether a server honours a client's request for a fresh rekey at all (else it ratchets, SPEC.md §4.10)} */
    public boolean clientFreshRekeys() { return clientFreshRekeys; }

    /**
     * {@return the admission control of every server made from this context (SPEC.md §4.13, §6.2): the caps on concurrent
     * unauthenticated handshakes, in total and per source address} A non-blocking server uses the same gate.
     */
    public AdmissionGate admissionGate() { return admissionGate; }

    /** The configuration of this context's server engines (the expected client identity is the context's). */
    dev.qsp.sockets.engine.QspEngineConfig serverEngineConfig() {
        dev.qsp.sockets.engine.QspEngineConfig c = serverEngineConfig;
        if (c == null) serverEngineConfig = c = EngineCore.engineConfig(this, expectedPeerIdentity);
        return c;
    }

    /** Records per key after which sending waits for a rekey; 0 = the suite's hard limit (SPEC.md §4.13). */
    long hardRecordLimit() { return hardRecordLimit; }

    ContextObserver observer() { return observer; }

    /**
     * {@return the name of this context's MBean of counters ({@code dev.qsp:type=Context,name=…}, SPEC.md §6.6), registered
     * in the platform MBeanServer when the context makes its first connection; null before that}
     */
    public String mbeanName() {
        javax.management.ObjectName n = observer.metrics.objectName();
        return n == null ? null : n.getCanonicalName();
    }

    /** {@return the randomness for handshakes and rekeys, or null for a new {@link SecureRandom} per connection} */
    public SecureRandom random() { return random; }

    @Override
    public String toString() {
        return "QspContext[identity=" + identity + ", trust=" + trust + ", expectedPeer=" + expectedPeerIdentity
                + ", suites=" + (suites.isEmpty() ? "default" : suites) + ", clientAuth=" + clientAuth
                + ", rekey(records=" + rekeyAfterRecords + ", bytes=" + rekeyAfterBytes + ", interval="
                + rekeyInterval + ", " + (freshRekeys ? "fresh" : "ratchet") + "), keySources=" + keySources.size()
                + ", handshakeTimeout=" + handshakeTimeout + "]";
    }

    /** Collects the settings of a {@link QspContext}; every setter checks its argument at once. */
    public static final class Builder {
        private QspIdentity identity;
        private QspTrust trust;
        private String expectedPeerIdentity;
        private final List<String> suites = new ArrayList<>();
        private final List<String> signatureAlgorithms = new ArrayList<>();
        private long rekeyAfterRecords;
        private long rekeyAfterBytes;
        private Duration rekeyInterval = Duration.ZERO;
        private boolean freshRekeys;
        private ClientAuth clientAuth = ClientAuth.NONE;
        private final List<KeySource> keySources = new ArrayList<>();
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration helloTimeout = DEFAULT_HELLO_TIMEOUT;
        private Duration minFreshRekeyInterval = DEFAULT_MIN_FRESH_REKEY_INTERVAL;
        private boolean clientFreshRekeys = true;
        private int maxHandshakes = AdmissionGate.DEFAULT_MAX_HANDSHAKES;
        private int maxHandshakesPerAddress = AdmissionGate.DEFAULT_MAX_HANDSHAKES_PER_ADDRESS;
        private SecureRandom random;
        private long hardRecordLimit;
        private Instant startTime;
        private System.Logger startLog = IdentityChecks.LOG;
        private String name;

        private Builder() {}

        /**
         * The clock reading and logger of the start-time identity checks of {@link #build()}. Not public: tests
         * inject them to see the warning; by default the current time and {@code dev.qsp.sockets.QspContext}.
         */
        Builder startChecks(Instant now, System.Logger log) {
            this.startTime = Objects.requireNonNull(now, "now");
            this.startLog = Objects.requireNonNull(log, "log");
            return this;
        }

        /**
         * The context's name in its MBean ({@code dev.qsp:type=Context,name=NAME}, SPEC.md §6.6); default
         * {@code context-N}. A name another context already registered gets a {@code -2}, {@code -3}… suffix.
         *
         * @param name the name (not blank)
         * @return this builder
         */
        public Builder name(String name) {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("context name must not be blank");
            this.name = name.strip();
            return this;
        }

        /**
         * Lowers the hard record limit (records per key before sending must wait for a rekey). Not public: the
         * suite's limit is the safe one; tests lower it to reach the waiting path in a few frames, as rustls's
         * test provider shrinks its limits.
         */
        Builder hardRecordLimit(long records) {
            if (records < 0) throw new IllegalArgumentException("hardRecordLimit must be >= 0, got " + records);
            this.hardRecordLimit = records;
            return this;
        }

        /**
         * The randomness source (as {@code SSLContext.init}'s third argument); default: the platform's.
         *
         * @param random the randomness source, or {@code null} for the platform's
         * @return this builder
         */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * This side's identity.
         *
         * @param identity this side's identity
         * @return this builder
         */
        public Builder identity(QspIdentity identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        /**
         * This side's identity from the key entry {@code alias} of a key store (its only key entry when
         * {@code alias} is null). The password is used here and not kept.
         *
         * @param keyStore the key store
         * @param password the key's password
         * @param alias    the key entry's alias, or {@code null} for its only key entry
         * @return this builder
         * @throws GeneralSecurityException if the entry is missing, the password wrong or the chain unusable
         */
        public Builder identity(KeyStore keyStore, char[] password, String alias) throws GeneralSecurityException {
            Objects.requireNonNull(keyStore, "keyStore");
            return identity(QspIdentity.fromKeyStore(keyStore, alias, password));
        }

        /**
         * How the peer is verified (PKIX trust anchors or pinned keys).
         *
         * @param trust how the peer is verified
         * @return this builder
         */
        public Builder trust(QspTrust trust) {
            this.trust = Objects.requireNonNull(trust, "trust");
            return this;
        }

        /**
         * PKIX against every certificate in {@code trustStore}.
         *
         * @param trustStore the trust store; its trusted certificates become the PKIX anchors
         * @return this builder
         * @throws KeyStoreException if the store cannot be read or holds no certificate
         */
        public Builder trustStore(KeyStore trustStore) throws KeyStoreException {
            return trust(QspTrust.pkix(Objects.requireNonNull(trustStore, "trustStore")));
        }

        /**
         * Accept exactly the peers whose SubjectPublicKeyInfo hashes (SHA-256) to one of {@code spkiSha256}.
         *
         * @param spkiSha256 SHA-256 hashes of the accepted peers' SubjectPublicKeyInfo (32 bytes each)
         * @return this builder
         */
        public Builder pinnedPeerKeys(List<byte[]> spkiSha256) {
            return trust(QspTrust.pinned(spkiSha256));
        }

        /**
         * The identity the peer must prove (its certificate's SAN dNSName, IP address or CN).
         *
         * @param identity the identity, e.g. a host name
         * @return this builder
         */
        public Builder expectedPeerIdentity(String identity) {
            if (identity != null && identity.isBlank()) {
                throw new IllegalArgumentException("expected peer identity must not be blank");
            }
            this.expectedPeerIdentity = identity;
            return this;
        }

        /**
         * Record-protection suites in order of preference: {@code AES-256-GCM}, {@code ChaCha20-Poly1305}.
         *
         * @param suites AEAD suite names, in order of preference
         * @return this builder
         */
        public Builder suites(String... suites) {
            List<String> names = distinctNonBlank("suite", suites);
            EngineCore.aeadSuites(names); // rejects unknown names now, listing the known ones
            this.suites.clear();
            this.suites.addAll(names);
            return this;
        }

        /**
         * Peer signature algorithms accepted, e.g. {@code "ML-DSA-65"}.
         *
         * @param algorithms signature algorithm names
         * @return this builder
         */
        public Builder signatureAlgorithms(String... algorithms) {
            List<String> names = distinctNonBlank("signature algorithm", algorithms);
            EngineCore.signatureSchemes(names);
            this.signatureAlgorithms.clear();
            this.signatureAlgorithms.addAll(names);
            return this;
        }

        /**
         * Rekey after {@code records} records under one epoch (0 restores the suite default).
         *
         * @param records records per epoch, 0 for the default
         * @return this builder
         */
        public Builder rekeyAfterRecords(long records) {
            if (records < 0) throw new IllegalArgumentException("rekeyAfterRecords must be >= 0, got " + records);
            this.rekeyAfterRecords = records;
            return this;
        }

        /**
         * Rekey after {@code bytes} plaintext bytes under one epoch (0 restores the default, 16 GiB).
         *
         * @param bytes plaintext bytes per epoch, 0 for the default
         * @return this builder
         */
        public Builder rekeyAfterBytes(long bytes) {
            if (bytes < 0) throw new IllegalArgumentException("rekeyAfterBytes must be >= 0, got " + bytes);
            this.rekeyAfterBytes = bytes;
            return this;
        }

        /**
         * Rekey when an epoch is {@code interval} old ({@link Duration#ZERO} restores the default, 1 h).
         *
         * @param interval the epoch age, {@link Duration#ZERO} for the default
         * @return this builder
         */
        public Builder rekeyInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) throw new IllegalArgumentException("rekeyInterval must not be negative");
            this.rekeyInterval = interval;
            return this;
        }

        /**
         * Automatic rekeys are fresh (new hybrid KEM exchange) when true, ratchets (the default) when false.
         *
         * @param fresh true for fresh rekeys, false for ratchets
         * @return this builder
         */
        public Builder freshRekeys(boolean fresh) {
            this.freshRekeys = fresh;
            return this;
        }

        /**
         * Whether a server requires its clients to authenticate (default {@link ClientAuth#NONE}).
         *
         * @param clientAuth the requirement
         * @return this builder
         */
        public Builder clientAuth(ClientAuth clientAuth) {
            this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
            return this;
        }

        /**
         * Extra key sources (e.g. QKD) mixed into the handshake and fresh rekeys (SPEC.md §5).
         *
         * @param sources the key sources, in the order they join the handshake
         * @return this builder
         */
        public Builder keySources(KeySource... sources) {
            Set<String> ids = new LinkedHashSet<>();
            for (KeySource s : sources) {
                Objects.requireNonNull(s, "key source");
                if (!ids.add(s.id())) throw new IllegalArgumentException("key source '" + s.id() + "' given twice");
            }
            this.keySources.clear();
            this.keySources.addAll(List.of(sources));
            return this;
        }

        /**
         * QKD keys over ETSI GS QKD 014 in the handshake and every fresh rekey (SPEC.md §5.2-5.6): this SAE's
         * KME, its SAE ID and the peer's, the key size and timeouts from {@code settings}; mutual TLS to the KME
         * from {@code tls} (e.g. {@code QkdSettings.tlsFromProperties}). {@code policy}: REQUIRE fails the
         * handshake ({@code QKD_UNAVAILABLE}) without a QKD key, PREFER falls back to KEM-only with an in-band
         * signal, DISABLED never calls the KME. Replaces an earlier QKD source; other key sources are kept.
         *
         * @param policy   what to do when QKD is unavailable (SPEC.md §5.4)
         * @param settings the KME, the SAE IDs and the key size
         * @param tls      the mutual-TLS context towards the KME
         * @return this builder
         */
        public Builder qkd(QkdPolicy policy, QkdSettings settings, javax.net.ssl.SSLContext tls) {
            QkdKeySource source = QkdKeySource.of(Objects.requireNonNull(policy, "policy"),
                    Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(tls, "tls"));
            this.keySources.removeIf(s -> s.id().equals(QkdKeySource.ID));
            this.keySources.add(source);
            return this;
        }

        /**
         * Bound on handshake time, from 1 ms to 10 minutes.
         *
         * @param timeout the bound
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("handshakeTimeout must be between 1 ms and 10 min, got " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * A server's first-flight deadline, from 1 ms to 10 minutes (default 5 s): the ClientHello must be complete
         * this long after the handshake started, before the longer {@link #handshakeTimeout} applies (SPEC.md §4.13).
         *
         * @param timeout the deadline
         * @return this builder
         */
        public Builder helloTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("helloTimeout must be between 1 ms and 10 min, got " + timeout);
            }
            this.helloTimeout = timeout;
            return this;
        }

        /**
         * Cap on concurrent unauthenticated handshakes of this context's servers (default 1024, SPEC.md §4.13).
         *
         * @param max the cap
         * @return this builder
         */
        public Builder maxHandshakes(int max) {
            if (max < 1) throw new IllegalArgumentException("maxHandshakes must be >= 1, got " + max);
            this.maxHandshakes = max;
            return this;
        }

        /**
         * Cap on concurrent unauthenticated handshakes from one source address (default 64, SPEC.md §4.13).
         *
         * @param max the cap per source address
         * @return this builder
         */
        public Builder maxHandshakesPerAddress(int max) {
            if (max < 1) throw new IllegalArgumentException("maxHandshakesPerAddress must be >= 1, got " + max);
            this.maxHandshakesPerAddress = max;
            return this;
        }

        /**
         * Shortest interval between two client-requested fresh rekeys that a server honours on one connection
         * (default 60 s; 0 honours every one the basic request interval allows); a request that comes sooner is
         * answered with a ratchet (SPEC.md §4.10).
         *
         * @param interval the shortest interval
         * @return this builder
         */
        public Builder minFreshRekeyInterval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative()) throw new IllegalArgumentException("minFreshRekeyInterval must not be negative");
            this.minFreshRekeyInterval = interval;
            return this;
        }

        /**
         * Whether a server honours clients' requests for fresh rekeys (default true); if not it ratchets (§4.10).
         *
         * @param honour true to honour them, false to ratchet instead
         * @return this builder
         */
        public Builder clientFreshRekeys(boolean honour) {
            this.clientFreshRekeys = honour;
            return this;
        }

        /**
         * The context. A context without identity can only make client sockets, one without trust can only
         * make server sockets that do not authenticate clients; the factories check this.
         *
         * @return the context
         * @throws IllegalStateException if client authentication is required but there is no trust to check it
         */
        public QspContext build() {
            if (clientAuth == ClientAuth.REQUIRED && trust == null) {
                throw new IllegalStateException("clientAuth REQUIRED needs a trust store or pinned client keys");
            }
            if (identity != null) {
                IdentityChecks.warnOutsideValidity(identity, startTime != null ? startTime : Instant.now(), startLog);
            }
            return new QspContext(this);
        }

        private static List<String> distinctNonBlank(String what, String[] names) {
            Set<String> out = new LinkedHashSet<>();
            for (String n : names) {
                if (n == null || n.isBlank()) throw new IllegalArgumentException(what + " name must not be blank");
                if (!out.add(n.strip())) throw new IllegalArgumentException(what + " '" + n + "' given twice");
            }
            return List.copyOf(out);
        }
    }
}
