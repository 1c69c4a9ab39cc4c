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

    private final QspIdentity identity;
    private final QspTrust trust;
    private final String expectedPeerIdentity;
    private final List<AeadSuite> aeadSuites;
    private final List<SignatureScheme> signatureSchemes;
    private final List<KeySource> keySources;
    private final boolean requireClientAuth;
    private final RekeyPolicy rekeyPolicy;
    private final long handshakeTimeoutNanos;
    private final boolean delegatedTasks;

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
        delegatedTasks = b.delegatedTasks;
        if (aeadSuites.isEmpty()) throw new IllegalArgumentException("at least one AEAD suite is required");
        if (signatureSchemes.isEmpty()) throw new IllegalArgumentException("at least one signature scheme is required");
        if (keySources.stream().noneMatch(s -> s.slot() == KeySource.Slot.KEM)) {
            throw new IllegalArgumentException("at least one key source of slot KEM is required");
        }
        if (keySources.stream().map(KeySource::id).distinct().count() != keySources.size()) {
            throw new IllegalArgumentException("key source ids must be distinct");
        }
    }

    public static Builder builder() { return new Builder(); }

    /** This side's identity, or null (a client without identity cannot answer a certificate request). */
    public QspIdentity identity() { return identity; }

    /** How the peer is verified; null only for a server that does not require client authentication. */
    public QspTrust trust() { return trust; }

    /** The identity the peer's certificate must name (SAN dNSName or CN), or null to accept any trusted one. */
    public String expectedPeerIdentity() { return expectedPeerIdentity; }

    public List<AeadSuite> aeadSuites() { return aeadSuites; }

    public List<SignatureScheme> signatureSchemes() { return signatureSchemes; }

    public List<KeySource> keySources() { return keySources; }

    public boolean requireClientAuth() { return requireClientAuth; }

    public RekeyPolicy rekeyPolicy() { return rekeyPolicy; }

    public long handshakeTimeoutNanos() { return handshakeTimeoutNanos; }

    /**
     * Whether the engine hands key-source work out as {@link KeySourceTask}s ({@link QspEngine#delegatedTask})
     * instead of running it inside its own calls (SPEC.md §4.15). A shell that serves other connections or holds a
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
        private boolean delegatedTasks;

        private Builder() {}

        public Builder identity(QspIdentity v) { identity = v; return this; }

        public Builder trust(QspTrust v) { trust = v; return this; }

        public Builder expectedPeerIdentity(String v) { expectedPeerIdentity = v; return this; }

        public Builder aeadSuites(List<AeadSuite> v) { aeadSuites = Objects.requireNonNull(v); return this; }

        public Builder signatureSchemes(List<SignatureScheme> v) { signatureSchemes = Objects.requireNonNull(v); return this; }

        /** Key sources, in preference order; the first of slot KEM is the default KEM. Default: X-Wing only. */
        public Builder keySources(List<KeySource> v) { keySources = Objects.requireNonNull(v); return this; }

        public Builder requireClientAuth(boolean v) { requireClientAuth = v; return this; }

        public Builder rekeyPolicy(RekeyPolicy v) { rekeyPolicy = Objects.requireNonNull(v); return this; }

        public Builder handshakeTimeoutNanos(long v) {
            if (v <= 0) throw new IllegalArgumentException("handshake timeout must be > 0 ns, got " + v);
            handshakeTimeoutNanos = v;
            return this;
        }

        /** See {@link QspEngineConfig#delegatedTasks()}; default false (inline). */
        public Builder delegatedTasks(boolean v) { delegatedTasks = v; return this; }

        public QspEngineConfig build() { return new QspEngineConfig(this); }
    }
}
