/**
 * QSP key sources: the interface every contributor of key material implements, and the built-in sources
 * (SPEC.md §5): QKD keys over ETSI GS QKD 014 and a static pre-shared key. The simulated KME pair is the separate
 * module {@code dev.qsp.kme} (artifact {@code qsp-kme}).
 */
module dev.qsp.keysources {
    requires transitive dev.qsp.provider;
    requires java.net.http;
    requires jdk.jfr;
    // QKD only (the ETSI GS QKD 014 JSON bodies): optional, so a KEM-only or PSK-only deployment runs without
    // Jackson. QkdClient checks for it and names the missing artifact (QkdJson.requireJackson).
    requires static com.fasterxml.jackson.databind;

    exports dev.qsp.keysources;
    exports dev.qsp.keysources.kem;
    exports dev.qsp.keysources.qkd;
    exports dev.qsp.keysources.qkd.json;
    exports dev.qsp.keysources.psk;

    // The ETSI GS QKD 014 JSON records are read and written by Jackson through reflection.
    opens dev.qsp.keysources.qkd.json to com.fasterxml.jackson.databind;
}
