/**
 * QSP key sources: the interface every contributor of key material implements, and the built-in sources
 * (SPEC.md §5): QKD keys over ETSI GS QKD 014 (with an embedded simulated KME pair) and a static pre-shared key.
 */
module dev.qsp.keysources {
    requires transitive dev.qsp.provider;
    requires java.net.http;
    requires jdk.httpserver;
    requires jdk.jfr;
    requires com.fasterxml.jackson.databind;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.util;
    // KmeMain's command line; optional (run it with --add-modules info.picocli, as ./qsp does).
    requires static info.picocli;

    exports dev.qsp.keysources;
    exports dev.qsp.keysources.kem;
    exports dev.qsp.keysources.qkd;
    exports dev.qsp.keysources.qkd.json;
    exports dev.qsp.keysources.qkd.kme;
    exports dev.qsp.keysources.psk;

    // The ETSI GS QKD 014 JSON records are read and written by Jackson through reflection.
    opens dev.qsp.keysources.qkd.json to com.fasterxml.jackson.databind;
    // picocli reads KmeMain's @Command/@Parameters fields reflectively.
    opens dev.qsp.keysources.qkd.kme to info.picocli;
}
