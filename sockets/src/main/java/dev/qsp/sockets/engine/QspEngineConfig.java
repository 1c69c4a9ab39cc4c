package dev.qsp.sockets.engine;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.kem.HybridKemSource;
import dev.qsp.sockets.QspIdentity;
import dev.qsp.sockets.QspTrust;
import java.util.List;
import java.util.Objects;

/**
 * Immutable configuration of one engine (SPEC.md §4.2, §4.7): identity, trust, the expected peer identity,
 * offered or accepted algorithms in preference order, key sources, rekey policy and handshake deadline.
 * Build with {@link #builder()}; the builder checks each value and names the accepted range when it rejects one.
 */
public final class QspEngineConfig {
    /** Default handshake deadline: 30 s from {@code start}. */
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_NANOS = 30_000_000_000L;
    /** Default first-flight deadline of a server: the ClientHello complete 5 s after {@code start} (SPEC.md §4.13). */
    public static final long DEFAULT_HELLO_TIMEOUT_NANOS = 5_000_000_000L;

    private final QspIdentity identity;
    private final QspTrust trust;
    private final String expectedPeerIdentity;
    private final List<AeadSuite> aeadSuites;
    private final List<SignatureScheme> signatureSchemes;
    private final List<KeySource> keySources;
    private final boolean requireClientAuth;
    private final RekeyPolicy rekeyPolicy;
    private final long handshakeTimeoutNanos;
    private final long helloTimeoutNanos;
    private final EngineObserver observer;
    private final TrafficKeyLog keyLog;
    private final boolean delegatedTasks;

    /** The same configuration reporting to another observer (one per engine; the rest is shared). */
    private QspEngineConfig(QspEngineConfig base, EngineObserver observer) {
        identity = base.identity;
        trust = base.trust;
        expectedPeerIdentity = base.expectedPeerIdentity;
        aeadSuites = base.aeadSuites;
        signatureSchemes = base.signatureSchemes;
        keySources = base.keySources;
        requireClientAuth = base.requireClientAuth;
        rekeyPolicy = base.rekeyPolicy;
        handshakeTimeoutNanos = base.handshakeTimeoutNanos;
        helloTimeoutNanos = base.helloTimeoutNanos;
        this.observer = Objects.requireNonNull(observer);
        keyLog = base.keyLog;
        delegatedTasks = base.delegatedTasks;
    }

    /**
     * This configuration with {@code observer} instead of its own: a server shares one configuration among its
     * connections (SPEC.md §4.13) while each engine gets an observer of its own (SPEC.md §6.6).
     *
     * @param observer the engine's own observer
     * @return the configuration with it
     */
    public QspEngineConfig withObserver(EngineObserver observer) {
        return new QspEngineConfig(this, observer);
    }

    private QspEngineConfig(Builder b) {
        identity = b.identity;
        trust = b.trust;
        expectedPeerIdentity = b.expectedPeerIdentity;
        aeadSuites = List.copyOf(b.aeadSuites);
        signatureSchemes = List.copyOf(b.signatureSchemes);
        keySources = b.keySources == null ? List.of(HybridKemSource.xWing()) : List.copyOf(b.keySources);
        requireClientAuth = b.requireClientAuth;
        rekeyPolicy = b.rekeyPolicy;
        handshakeTimeoutNanos = b.handshakeTimeoutNanos;
        helloTimeoutNanos = b.helloTimeoutNanos;
        observer = b.observer;
        keyLog = b.keyLog;
        delegatedTasks = b.delegatedTasks;
        if (aeadSuites.isEmpty()) throw new IllegalArgumentException("at least one AEAD suite is required");
        if (signatureSchemes.isEmpty()) throw new IllegalArgumentException("at least one signature scheme is required");
        if (keySources.stream().noneMatch(s -> s.slot() == KeySource.Slot.KEM)) {
            throw new IllegalArgumentException("at least one key source of slot KEM is required");
        }
        // A ClientHello that lists an id twice is refused by the peer (ILLEGAL_PARAMETER, SPEC.md §4.5).
        if (aeadSuites.stream().distinct().count() != aeadSuites.size()) throw new IllegalArgumentException("AEAD suites must be distinct");
        if (signatureSchemes.stream().distinct().count() != signatureSchemes.size()) {
            throw new IllegalArgumentException("signature schemes must be distinct");
        }
        if (keySources.stream().map(KeySource::id).distinct().count() != keySources.size()) {
            throw new IllegalArgumentException("key source ids must be distinct");
        }
    }

    /** What an engine of {@code role} needs beyond what the builder checks; else {@link IllegalArgumentException}. */
    void checkUsableBy(QspEngine.Role role) {
        if (role == QspEngine.Role.SERVER && identity == null) throw new IllegalArgumentException("a server needs an identity");
        if (role == QspEngine.Role.CLIENT && trust == null) throw new IllegalArgumentException("a client needs a trust configuration");
        if (role == QspEngine.Role.CLIENT && !trust.isPinned() && expectedPeerIdentity == null) {
            // PKIX alone would accept any certificate the anchors ever issued (SPEC.md §4.7).
            throw new IllegalArgumentException("a client verifying by PKIX needs the expected server identity");
        }
        if (role == QspEngine.Role.SERVER && requireClientAuth && trust == null) {
            throw new IllegalArgumentException("a server that requires client authentication needs a trust configuration");
        }
    }

    /** {@return a builder with the defaults of SPEC.md §4.2} */
    public static Builder builder() { return new Builder(); }

    /** {@return this side's identity, or null (a client without identity cannot answer a certificate request)} */
    public QspIdentity identity() { return identity; }

    /** {@return how the peer is verified; null only for a server that does not require client authentication} */
    public QspTrust trust() { return trust; }

    /** {@return the identity the peer's certificate must name (SAN dNSName or CN), or null to accept any trusted one} */
    public String expectedPeerIdentity() { return expectedPeerIdentity; }

    /** {@return the AEADs this side accepts, in its preference order (SPEC.md §4.2)} */
    public List<AeadSuite> aeadSuites() { return aeadSuites; }

    /** {@return the signature schemes this side accepts from the peer} */
    public List<SignatureScheme> signatureSchemes() { return signatureSchemes; }

    /** {@return the key sources, in preference order} */
    public List<KeySource> keySources() { return keySources; }

    /** {@return whether a server requires the client to authenticate} */
    public boolean requireClientAuth() { return requireClientAuth; }

    /** {@return when rekeys happen (SPEC.md §4.10)} */
    public RekeyPolicy rekeyPolicy() { return rekeyPolicy; }

    /** {@return the handshake deadline, from {@code start}} */
    public long handshakeTimeoutNanos() { return handshakeTimeoutNanos; }

    /** {@return how long after {@code start} a server's ClientHello must be complete (SPEC.md §4.13); clients ignore it} */
    public long helloTimeoutNanos() { return helloTimeoutNanos; }

    /** {@return what the engine reports its events to (SPEC.md §6.6); {@link EngineObserver#NONE} by default} */
    public EngineObserver observer() { return observer; }

    /** {@return where the engine reports its traffic keys (SPEC.md §4.17), or null (the default: never)} */
    public TrafficKeyLog keyLog() { return keyLog; }

    /**
     * {@return whether the engine hands key-source work out as {@link KeySourceTask}s ({@link QspEngine#delegatedTask})
     * instead of running it inside its own calls (SPEC.md §4.15)} A shell that serves other connections or holds a
     * lock around the engine must set it; inline (the default) suits a single-threaded caller that may block.
     */
    public boolean delegatedTasks() { return delegatedTasks; }

    /** Builder with the defaults of SPEC.md §4.2: AES-256-GCM then ChaCha20-Poly1305, ML-DSA-65 first, X-Wing. */
    public static final class Builder {
        private QspIdentity identity;
        private QspTrust trust;
        private String expectedPeerIdentity;
        private List<AeadSuite> aeadSuites = List.of(AeadSuite.AES_256_GCM, AeadSuite.CHACHA20_POLY1305);
        private List<SignatureScheme> signatureSchemes = List.of(SignatureScheme.ML_DSA_65, SignatureScheme.ML_DSA_87,
                SignatureScheme.ML_DSA_44, SignatureScheme.SLH_DSA_SHA2_128S, SignatureScheme.SLH_DSA_SHA2_128F);
        private List<KeySource> keySources;
        private boolean requireClientAuth;
        private RekeyPolicy rekeyPolicy = RekeyPolicy.DEFAULT;
        private long handshakeTimeoutNanos = DEFAULT_HANDSHAKE_TIMEOUT_NANOS;
        private long helloTimeoutNanos = DEFAULT_HELLO_TIMEOUT_NANOS;

        private EngineObserver observer = EngineObserver.NONE;
        private TrafficKeyLog keyLog;
        private boolean delegatedTasks;

        private Builder() {}

        /**
         * {@return this builder}
         *
         * @param v this side's identity (a server needs one), or null
         */
        public Builder identity(QspIdentity v) { identity = v; return this; }

        /**
         * {@return this builder}
         *
         * @param v how the peer is verified (a client needs one)
         */
        public Builder trust(QspTrust v) { trust = v; return this; }

        /**
         * {@return this builder}
         *
         * @param v the identity the peer's certificate must name, or null
         */
        public Builder expectedPeerIdentity(String v) { expectedPeerIdentity = v; return this; }

        /**
         * {@return this builder}
         *
         * @param v the AEADs, in preference order
         */
        public Builder aeadSuites(List<AeadSuite> v) { aeadSuites = Objects.requireNonNull(v); return this; }

        /**
         * {@return this builder}
         *
         * @param v the signature schemes accepted from the peer
         */
        public Builder signatureSchemes(List<SignatureScheme> v) { signatureSchemes = Objects.requireNonNull(v); return this; }

        /**
         * {@return this builder}
         *
         * @param v key sources, in preference order; the first of slot KEM is the default KEM (default: X-Wing only)
         */
        public Builder keySources(List<KeySource> v) { keySources = Objects.requireNonNull(v); return this; }

        /**
         * {@return this builder}
         *
         * @param v whether a server requires client authentication
         */
        public Builder requireClientAuth(boolean v) { requireClientAuth = v; return this; }

        /**
         * {@return this builder}
         *
         * @param v when rekeys happen
         */
        public Builder rekeyPolicy(RekeyPolicy v) { rekeyPolicy = Objects.requireNonNull(v); return this; }

        /**
         * {@return this builder}
         *
         * @param v the handshake deadline in nanoseconds, &gt; 0 (default 30 s)
         */
        public Builder handshakeTimeoutNanos(long v) {
            if (v <= 0) throw new IllegalArgumentException("handshake timeout must be > 0 ns, got " + v);
            handshakeTimeoutNanos = v;
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param v a server's first-flight deadline, &gt; 0 (default 5 s); the handshake timeout still bounds the whole
         *          handshake
         */
        public Builder helloTimeoutNanos(long v) {
            if (v <= 0) throw new IllegalArgumentException("hello timeout must be > 0 ns, got " + v);
            helloTimeoutNanos = v;
            return this;
        }

        /**
         * {@return this builder}
         *
         * @param v the engine's observer (one per engine: it may keep per-connection state)
         */
        public Builder observer(EngineObserver v) { observer = Objects.requireNonNull(v); return this; }

        /**
         * {@return this builder}
         *
         * @param v where every traffic key goes (SPEC.md §4.17: only for debugging; null = never, the default)
         */
        public Builder keyLog(TrafficKeyLog v) { keyLog = v; return this; }

        /**
         * {@return this builder}
         *
         * @param v see {@link QspEngineConfig#delegatedTasks()}; default false (inline)
         */
        public Builder delegatedTasks(boolean v) { delegatedTasks = v; return this; }

        /** {@return the configuration; {@link IllegalArgumentException} if it is unusable} */
        public QspEngineConfig build() { return new QspEngineConfig(this); }
    }
}
