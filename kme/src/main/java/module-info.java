/**
 * The simulated ETSI GS QKD 014 KME pair (SPEC.md §5.7): a development and test tool, not part of a production
 * deployment, so it lives outside {@code dev.qsp.keysources} and ships as its own artifact ({@code qsp-kme}).
 */
module dev.qsp.kme {
    requires transitive dev.qsp.keysources;
    requires jdk.httpserver;
    // The KME's JSON bodies go through the key sources' Etsi014Json, whose Jackson dependency is optional
    // (requires static): requiring it here puts it in the module graph whenever the KME runs.
    requires com.fasterxml.jackson.databind;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.util;
    requires info.picocli;

    exports dev.qsp.kme;

    // picocli reads KmeMain's @Command/@Parameters fields reflectively.
    opens dev.qsp.kme to info.picocli;
}
