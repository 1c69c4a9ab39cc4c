package dev.qsp.bench.net;

/**
 * The stacks the loopback benchmarks compare; the JMH parameter {@code stack} takes these names in lower case
 * ({@code qsp-kme} for {@link #QSP_KME}).
 * {@link #BCJSSE} needs the BC 1.84 class path (see bench/pom.xml) and is run by its own JVM.
 */
public enum Stack {
    /** Plain TCP ({@link PlainTransport}): the floor. */
    PLAIN("plain TCP"),
    /** The JDK's TLS 1.3 ({@link SunJsseTransport}). */
    SUNJSSE("SunJSSE TLS 1.3 (x25519, ECDSA P-256)"),
    /** Bouncy Castle's post-quantum TLS 1.3 ({@link BcJsseTransport}); needs the BC 1.84 class path. */
    BCJSSE("BCJSSE TLS 1.3 (X25519MLKEM768, ML-DSA-65)"),
    /** QSP through its socket factories ({@link QspTransport}). */
    QSP("QSP (X-Wing, ML-DSA-65, AES-256-GCM)"),
    /** QSP with a QKD key per handshake from the embedded simulated KME pair ({@link QspTransport}). */
    QSP_KME("QSP (X-Wing, ML-DSA-65, AES-256-GCM) + QKD keys from the embedded simulated KME pair");

    private final String label;

    Stack(String label) {
        this.label = label;
    }

    /** {@return the stack's description in the benchmark reports} */
    public String label() {
        return label;
    }

    /**
     * The stack a JMH parameter names.
     *
     * @param name the constant's name, in any case, with {@code -} for {@code _} (e.g. {@code qsp-kme})
     * @return the stack
     * @throws IllegalArgumentException if no stack has that name
     */
    public static Stack of(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    /**
     * Configures a new instance of the stack (key stores are generated here).
     *
     * @return the configured transport; close it to delete its key stores (and stop its KME pair)
     * @throws Exception if the stack cannot be configured (keytool, key stores, the KME pair, the JSSE provider)
     */
    public Transport create() throws Exception {
        return switch (this) {
            case PLAIN -> new PlainTransport();
            case SUNJSSE -> new SunJsseTransport();
            case BCJSSE -> new BcJsseTransport();
            case QSP -> new QspTransport(false);
            case QSP_KME -> new QspTransport(true);
        };
    }
}
