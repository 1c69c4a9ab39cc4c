package dev.qsp.kme;

import static dev.qsp.kme.KmePair.SAE_A;
import static dev.qsp.kme.KmePair.SAE_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.qkd.QkdClient;
import dev.qsp.keysources.qkd.QkdException;
import dev.qsp.keysources.qkd.QkdKey;
import dev.qsp.keysources.qkd.QkdSettings;
import dev.qsp.keysources.qkd.TlsMaterial;
import dev.qsp.keysources.qkd.QkdException.Reason;
import dev.qsp.keysources.qkd.json.KmeStatus;
import dev.qsp.kme.KmeFault;
import dev.qsp.kme.KmePki;
import dev.qsp.kme.KmeSettings;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ETSI GS QKD 014 client against the embedded KME pair: each failure the issue lists, over real HTTPS. */
class QkdClientKmeTest {
    private static final String KEY_ID = "0b5e1b7e-3a4f-4c1d-9e2a-5d6c7b8a9f00";
    private QkdFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new QkdFixture();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void statusReportsThePairAndItsLimits() throws Exception {
        KmeStatus st = fx.client(SAE_A, SAE_B).status(SAE_B);
        assertEquals(new KmeStatus("KME_A", "KME_B", SAE_A, SAE_B, 256, 1000, 1000, 16, 1024, 64, 0), st);
    }

    @Test
    void kmeDownIsUnreachableAfterTheBoundedRetries() throws Exception {
        URI url = fx.pair.kmeA().baseUri();
        fx.pair.close(); // the port is now closed: connections are refused
        QkdClient c = fx.client(QkdSettings.of(url, SAE_A, SAE_B).withRetries(3, Duration.ZERO)
                .withTimeouts(Duration.ofMillis(500), Duration.ofMillis(2000)), fx.pair.clientContext(SAE_A));
        QkdException e = assertThrows(QkdException.class, () -> c.status(SAE_B));
        assertEquals(Reason.KME_UNREACHABLE, e.reason());
        assertTrue(e.getMessage().contains("after 3 attempt(s)"), e.getMessage());
    }

    @Test
    void slowKmeTimesOut() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        fx.pair.kmeA().inject(new KmeFault.Stall(release));
        QkdClient c = fx.client(fx.settings(SAE_A, SAE_B).withTimeouts(Duration.ofMillis(500), Duration.ofMillis(200)),
                fx.pair.clientContext(SAE_A));
        try {
            QkdException e = assertThrows(QkdException.class, () -> c.status(SAE_B));
            assertEquals(Reason.TIMEOUT, e.reason());
            assertTrue(e.getMessage().contains("200 ms"), e.getMessage());
            assertEquals(1, fx.pair.kmeA().requestCount("status")); // a timeout is not retried
        } finally {
            release.countDown();
        }
    }

    @Test
    void unregisteredSaeGetsA401WithTheKmeMessage() throws Exception {
        QkdClient c = fx.client(QkdSettings.of(fx.pair.kmeA().baseUri(), "SAE_X", SAE_B).withRetries(3, Duration.ZERO),
                fx.pair.clientContext("SAE_X"));
        QkdException e = assertThrows(QkdException.class, () -> c.status(SAE_B));
        assertEquals(Reason.UNAUTHORIZED, e.reason());
        assertTrue(e.getMessage().contains("KME says: \"SAE SAE_X is not registered at KME_A\""), e.getMessage());
        assertEquals(1, fx.pair.kmeA().requestCount("status")); // 401 is not retried
    }

    @Test
    void htmlUnauthorizedBodyIsReportedNotParsed() throws Exception {
        fx.pair.kmeA().inject(KmeFault.Respond.html(401, "<html><body><h1>401 Authorization Required</h1></body></html>"));
        QkdException e = assertThrows(QkdException.class, () -> fx.client(SAE_A, SAE_B).encKey(SAE_B, 256));
        assertEquals(Reason.UNAUTHORIZED, e.reason());
        assertTrue(e.getMessage().contains("non-JSON error body (Content-Type text/html; charset=utf-8, 61 bytes)"),
                e.getMessage());
    }

    @Test
    void clientCertificateFromAnotherCaFailsTls() throws Exception {
        KmePki other = new KmePki(QkdFixture.seeded(99), "other-password".toCharArray());
        // Trusts our KME CA, but presents a certificate the KME's CA did not sign.
        javax.net.ssl.SSLContext tls = TlsMaterial.sslContext(other.clientKeyStore(SAE_A), other.password(),
                fx.pair.pki().trustStore());
        QkdClient c = fx.client(fx.settings(SAE_A, SAE_B), tls);
        QkdException e = assertThrows(QkdException.class, () -> c.status(SAE_B));
        // In TLS 1.3 the server checks the client certificate after the client has finished its side of the
        // handshake: depending on timing the client reads the server's bad_certificate alert (TLS_FAILURE) or
        // finds the connection already reset (KME_UNREACHABLE, after its bounded retries). Both fail closed.
        assertTrue(e.reason() == Reason.TLS_FAILURE || e.reason() == Reason.KME_UNREACHABLE,
                () -> "unexpected reason " + e.reason() + ": " + e.getMessage());
        assertEquals(0, fx.pair.kmeA().requestCount("status"));
    }

    @Test
    void untrustedKmeCertificateFailsTls() throws Exception {
        KmePki other = new KmePki(QkdFixture.seeded(98), "other-password".toCharArray());
        javax.net.ssl.SSLContext tls = TlsMaterial.sslContext(fx.pair.pki().clientKeyStore(SAE_A),
                fx.pair.pki().password(), other.trustStore());
        QkdException e = assertThrows(QkdException.class, () -> fx.client(fx.settings(SAE_A, SAE_B), tls).status(SAE_B));
        assertEquals(Reason.TLS_FAILURE, e.reason());
        assertEquals(0, fx.pair.kmeA().requestCount("status"));
    }

    @Test
    void serviceUnavailableIsRetriedThenSucceeds() throws Exception {
        fx.pair.kmeA().inject(KmeFault.Respond.json(503, "{\"message\":\"busy\"}"));
        fx.pair.kmeA().inject(KmeFault.Respond.json(503, "{\"message\":\"busy\"}"));
        QkdKey k = fx.client(SAE_A, SAE_B).encKey(SAE_B, 256);
        assertEquals(256, k.sizeBits());
        assertEquals(3, fx.pair.kmeA().requestCount("enc_keys"));
    }

    @Test
    void serviceUnavailableOutlastingTheRetries() throws Exception {
        for (int i = 0; i < 3; i++) {
            fx.pair.kmeA().inject(KmeFault.Respond.json(503, "{\"message\":\"QKD link down\"}"));
        }
        QkdException e = assertThrows(QkdException.class, () -> fx.client(SAE_A, SAE_B).status(SAE_B));
        assertEquals(Reason.SERVICE_UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("QKD link down") && e.getMessage().contains("after 3 attempt(s)"), e.getMessage());
        assertEquals(3, fx.pair.kmeA().requestCount("status"));
    }

    @Test
    void decKeysIsNeverRetriedAfterAResponse() throws Exception {
        String id = fx.client(SAE_A, SAE_B).encKey(SAE_B, 256).keyId();
        fx.pair.kmeB().inject(KmeFault.Respond.json(503, "{\"message\":\"busy\"}"));
        QkdClient b = fx.client(SAE_B, SAE_A);
        QkdException e = assertThrows(QkdException.class, () -> b.decKey(SAE_A, id, 256));
        assertEquals(Reason.SERVICE_UNAVAILABLE, e.reason());
        assertEquals(1, fx.pair.kmeB().requestCount("dec_keys"));
        // and the ID is spent for this client
        assertEquals(Reason.KEY_ID_REPLAYED, assertThrows(QkdException.class, () -> b.decKey(SAE_A, id, 256)).reason());
        assertEquals(1, fx.pair.kmeB().requestCount("dec_keys"));
    }

    @Test
    void emptyPoolAnswered400() throws Exception {
        fx.pair.settings(KmeSettings.defaults().withPool(2, false).withEmptyPoolStatus(400));
        QkdClient a = fx.client(SAE_A, SAE_B);
        a.encKey(SAE_B, 256).destroy();
        a.encKey(SAE_B, 256).destroy();
        assertEquals(0, a.status(SAE_B).storedKeyCount());
        QkdException e = assertThrows(QkdException.class, () -> a.encKey(SAE_B, 256));
        assertEquals(Reason.BAD_REQUEST, e.reason());
        assertTrue(e.getMessage().contains("insufficient keys: 1 requested, 0 stored"), e.getMessage());
        assertEquals(3, fx.pair.kmeA().requestCount("enc_keys"));
    }

    @Test
    void emptyPoolAnswered503IsRetriedThenReported() throws Exception {
        fx.pair.settings(KmeSettings.defaults().withPool(1, false).withEmptyPoolStatus(503));
        fx.pair.drain(SAE_A, SAE_B);
        QkdException e = assertThrows(QkdException.class, () -> fx.client(SAE_A, SAE_B).encKey(SAE_B, 256));
        assertEquals(Reason.SERVICE_UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("insufficient keys"), e.getMessage());
        assertEquals(3, fx.pair.kmeA().requestCount("enc_keys"));
    }

    @Test
    void keyOfTheWrongSizeIsRefused() throws Exception {
        fx.pair.kmeA().inject(KmeFault.Respond.json(200,
                "{\"keys\":[{\"key_ID\":\"" + KEY_ID + "\",\"key\":\"AAECAwQFBgcICQoLDA0ODw==\"}]}"));
        QkdException e = assertThrows(QkdException.class, () -> fx.client(SAE_A, SAE_B).encKey(SAE_B, 256));
        assertEquals(Reason.BAD_KEY_SIZE, e.reason());
        assertTrue(e.getMessage().contains("128-bit key, expected 256 bits"), e.getMessage());
        assertFalse(e.getMessage().contains("AAECAwQFBgcICQoLDA0ODw"), e.getMessage());
    }

    @Test
    void malformedJsonIsReportedWithoutQuotingTheBody() throws Exception {
        fx.pair.kmeA().inject(KmeFault.Respond.json(200, "{\"keys\":[{\"key_ID\":\"" + KEY_ID
                + "\",\"key\":\"c2VjcmV0LWtleS1tYXRlcmlhbC0xMjM0NTY3ODkwYWI=\""));
        QkdException e = assertThrows(QkdException.class, () -> fx.client(SAE_A, SAE_B).encKey(SAE_B, 256));
        assertEquals(Reason.MALFORMED_RESPONSE, e.reason());
        assertTrue(e.getMessage().startsWith("QKD MALFORMED_RESPONSE: enc_keys response is not a valid KeyContainer (line 1, column"),
                e.getMessage());
        assertFalse(e.getMessage().contains("c2VjcmV0"), e.getMessage());
    }

    @Test
    void keyIdThatIsNotAUuidIsRefused() throws Exception {
        fx.pair.kmeA().inject(KmeFault.Respond.json(200,
                "{\"keys\":[{\"key_ID\":\"key-1\",\"key\":\"AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8=\"}]}"));
        QkdException e = assertThrows(QkdException.class, () -> fx.client(SAE_A, SAE_B).encKey(SAE_B, 256));
        assertEquals(Reason.MALFORMED_RESPONSE, e.reason());
        assertTrue(e.getMessage().contains("key_ID that is not a UUID: \"key-1\""), e.getMessage());
    }

    @Test
    void keyThatIsNotBase64IsRefused() throws Exception {
        fx.pair.kmeA().inject(KmeFault.Respond.json(200, "{\"keys\":[{\"key_ID\":\"" + KEY_ID + "\",\"key\":\"!!not base64!!\"}]}"));
        QkdException e = assertThrows(QkdException.class, () -> fx.client(SAE_A, SAE_B).encKey(SAE_B, 256));
        assertEquals(Reason.MALFORMED_RESPONSE, e.reason());
        assertFalse(e.getMessage().contains("not base64!!"), e.getMessage());
    }

    @Test
    void moreKeysThanAskedForIsRefused() throws Exception {
        String k = "\"key\":\"AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8=\"";
        fx.pair.kmeA().inject(KmeFault.Respond.json(200, "{\"keys\":[{\"key_ID\":\"" + KEY_ID + "\"," + k
                + "},{\"key_ID\":\"" + KEY_ID + "\"," + k + "}]}"));
        QkdException e = assertThrows(QkdException.class, () -> fx.client(SAE_A, SAE_B).encKey(SAE_B, 256));
        assertEquals(Reason.MALFORMED_RESPONSE, e.reason());
        assertTrue(e.getMessage().contains("exactly 1 key, holds 2 entries"), e.getMessage());
    }

    @Test
    void statusForAnotherSaePairIsAMismatch() throws Exception {
        fx.pair.kmeA().inject(KmeFault.Respond.json(200, "{\"source_KME_ID\":\"KME_A\",\"target_KME_ID\":\"KME_B\","
                + "\"master_SAE_ID\":\"SAE_Z\",\"slave_SAE_ID\":\"SAE_B\",\"key_size\":256,\"stored_key_count\":5,"
                + "\"max_key_count\":10,\"max_key_per_request\":1,\"max_key_size\":256,\"min_key_size\":256,"
                + "\"max_SAE_ID_count\":0}"));
        QkdException e = assertThrows(QkdException.class, () -> fx.client(SAE_A, SAE_B).status(SAE_B));
        assertEquals(Reason.SAE_MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("master \"SAE_Z\""), e.getMessage());
    }

    @Test
    void statusWithoutMandatoryFieldsOrWithWrongTypesIsMalformed() throws Exception {
        fx.pair.kmeA().inject(KmeFault.Respond.json(200, "{\"master_SAE_ID\":\"SAE_A\",\"slave_SAE_ID\":\"SAE_B\"}"));
        fx.pair.kmeA().inject(KmeFault.Respond.json(200, "{\"key_size\":\"256\"}"));
        QkdClient c = fx.client(SAE_A, SAE_B);
        assertEquals(Reason.MALFORMED_RESPONSE, assertThrows(QkdException.class, () -> c.status(SAE_B)).reason());
        assertEquals(Reason.MALFORMED_RESPONSE, assertThrows(QkdException.class, () -> c.status(SAE_B)).reason());
    }

    @Test
    void unknownSlaveSaeIsABadRequest() throws Exception {
        QkdException e = assertThrows(QkdException.class, () -> fx.client(SAE_A, "SAE_C").status("SAE_C"));
        assertEquals(Reason.BAD_REQUEST, e.reason());
        assertTrue(e.getMessage().contains("unknown slave SAE SAE_C"), e.getMessage());
    }

    @Test
    void decKeysWithTheWrongMasterSaeIsKeyNotFound() throws Exception {
        fx.pair.kmeA().requestCount("enc_keys");
        String id = fx.client(SAE_A, SAE_B).encKey(SAE_B, 256).keyId();
        // SAE_B names itself as master: the KME has no such pair for this key.
        QkdException e = assertThrows(QkdException.class, () -> fx.client(SAE_B, SAE_A).decKey("SAE_C", id, 256));
        assertEquals(Reason.KEY_NOT_FOUND, e.reason());
    }
}
