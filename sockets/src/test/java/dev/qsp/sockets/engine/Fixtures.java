package dev.qsp.sockets.engine;

import dev.qsp.keysources.KeySource;
import dev.qsp.sockets.QspIdentity;
import java.util.List;

/** Shared test fixtures: one PKI per JVM (key generation is the slow part) and config builders. */
final class Fixtures {
    private Fixtures() {}

    static final String SERVER_NAME = "server.qsp.test";
    static final String CLIENT_NAME = "client.qsp.test";

    private static TestPki pki;
    private static QspIdentity server65;
    private static QspIdentity client65;

    static synchronized TestPki pki() throws Exception {
        if (pki == null) pki = new TestPki("QSP Test CA", "fixtures");
        return pki;
    }

    static synchronized QspIdentity serverIdentity() throws Exception {
        if (server65 == null) server65 = pki().issue(SERVER_NAME, "ML-DSA-65");
        return server65;
    }

    static synchronized QspIdentity clientIdentity() throws Exception {
        if (client65 == null) client65 = pki().issue(CLIENT_NAME, "ML-DSA-65");
        return client65;
    }

    /** A test KEM source (JDK ML-KEM-768) seeded per side. */
    static KeySource kem(String side) { return new MlKemTestSource("test-mlkem768", new SeededRandom("kem:" + side)); }

    static QspEngineConfig.Builder client() throws Exception {
        return QspEngineConfig.builder().trust(pki().trust()).expectedPeerIdentity(SERVER_NAME)
                .keySources(List.of(kem("client")));
    }

    static QspEngineConfig.Builder server() throws Exception {
        return QspEngineConfig.builder().identity(serverIdentity()).keySources(List.of(kem("server")));
    }

    static EnginePair established(QspEngineConfig.Builder c, QspEngineConfig.Builder s, String seed) {
        EnginePair p = new EnginePair(c.build(), s.build(), seed).handshake();
        if (p.clientError != null) throw new AssertionError("client failed", p.clientError);
        if (p.serverError != null) throw new AssertionError("server failed", p.serverError);
        if (!p.client.isHandshakeComplete() || !p.server.isHandshakeComplete()) throw new AssertionError("handshake incomplete");
        return p;
    }
}
