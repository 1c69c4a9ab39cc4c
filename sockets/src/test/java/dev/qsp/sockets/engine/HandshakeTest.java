package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Complete handshakes between in-memory engines: per AEAD, per signature scheme, with client authentication. */
class HandshakeTest {

    static void exchange(EnginePair p) throws Exception {
        byte[] hello = "hello server".getBytes(StandardCharsets.US_ASCII);
        p.client.writeApplicationData(hello, 0, hello.length, p.now);
        byte[] reply = "hello client".getBytes(StandardCharsets.US_ASCII);
        p.server.writeApplicationData(reply, 0, reply.length, p.now);
        p.pump();
        assertArrayEquals(hello, p.serverReceived.toByteArray());
        assertArrayEquals(reply, p.clientReceived.toByteArray());
    }

    @ParameterizedTest
    @EnumSource(AeadSuite.class)
    void handshakePerAead(AeadSuite aead) throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client().aeadSuites(List.of(aead)), Fixtures.server(), "aead-" + aead);
        assertEquals(aead, p.client.session().aead());
        assertEquals(aead, p.server.session().aead());
        assertEquals(Fixtures.SERVER_NAME, p.client.session().peerIdentity());
        assertEquals("test-mlkem768", p.client.session().kem());
        assertEquals(List.of("test-mlkem768"), p.server.session().keySources());
        exchange(p);
    }

    @ParameterizedTest
    @EnumSource(SignatureScheme.class)
    void handshakePerSignatureScheme(SignatureScheme scheme) throws Exception {
        var identity = Fixtures.pki().issue(Fixtures.SERVER_NAME, scheme.jcaName());
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server().identity(identity), "sig-" + scheme);
        assertEquals(scheme, p.client.session().serverSignature());
        exchange(p);
    }

    @Test
    void serverPrefersItsOwnAeadOrder() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(),
                Fixtures.server().aeadSuites(List.of(AeadSuite.CHACHA20_POLY1305, AeadSuite.AES_256_GCM)), "pref");
        assertEquals(AeadSuite.CHACHA20_POLY1305, p.client.session().aead());
    }

    @Test
    void mutualAuthentication() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client().identity(Fixtures.clientIdentity()),
                Fixtures.server().requireClientAuth(true).trust(Fixtures.pki().trust()).expectedPeerIdentity(Fixtures.CLIENT_NAME),
                "mutual");
        assertEquals(Fixtures.CLIENT_NAME, p.server.session().peerIdentity());
        assertEquals(Fixtures.SERVER_NAME, p.client.session().peerIdentity());
        exchange(p);
    }

    @Test
    void pinnedServerKey() throws Exception {
        var pin = dev.qsp.sockets.QspTrust.spkiSha256(Fixtures.serverIdentity().leaf());
        EnginePair p = Fixtures.established(Fixtures.client().trust(dev.qsp.sockets.QspTrust.pinned(List.of(pin))),
                Fixtures.server(), "pin");
        assertNull(p.clientError);
        exchange(p);
    }

    @Test
    void bothSidesStartInEpochZero() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "epoch0");
        assertEquals(0, p.client.epoch());
        assertEquals(0, p.server.epoch());
        assertEquals(0, p.client.sendSequence());
        assertTrue(p.client.session().suite().startsWith("AES-256-GCM"));
    }
}
