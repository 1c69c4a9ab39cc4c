package dev.qsp.bench.net;

/**
 * The stacks the loopback benchmarks compare; the JMH parameter {@code stack} takes these names in lower case
 * ({@code qsp-kme} for {@link #QSP_KME}).
 * {@link #BCJSSE} needs the BC 1.84 class path (see bench/pom.xml) and is run by its own JVM.
 */
public enum Stack {
    PLAIN("plain TCP"),
    SUNJSSE("SunJSSE TLS 1.3 (x25519, ECDSA P-256)"),
    BCJSSE("BCJSSE TLS 1.3 (X25519MLKEM768, ML-DSA-65)"),
    QSP("QSP (X-Wing, ML-DSA-65, AES-256-GCM)"),
    QSP_KME("QSP (X-Wing, ML-DSA-65, AES-256-GCM) + QKD keys from the embedded simulated KME pair");

    private final String label;

    Stack(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Stack of(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    /** Configures a new instance of the stack (key stores are generated here). */
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
