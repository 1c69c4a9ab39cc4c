package dev.qsp.keysources.qkd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.qsp.keysources.qkd.KmeTransport.KmeHttpResponse;
import dev.qsp.keysources.qkd.QkdException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** Retry and error rules of {@link QkdClient} with a mocked HTTP layer, for failures a real server makes awkward. */
class QkdClientTransportTest {
    private static final URI KME = URI.create("https://kme.example:8443/");
    private static final String KEY_ID = "0b5e1b7e-3a4f-4c1d-9e2a-5d6c7b8a9f00";
    private static final String KEY_B64 = "AAECAwQFBgcICQoLDA0ODwABAgMEBQYHCAkKCwwNDg8=";

    private final KmeTransport transport = mock(KmeTransport.class);
    private final QkdClient client = new QkdClient(KME, "SAE_A", transport, 3, Duration.ZERO);

    private static KmeHttpResponse json(int status, String body) {
        return new KmeHttpResponse(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static String container(String id) {
        return "{\"keys\":[{\"key_ID\":\"" + id + "\",\"key\":\"" + KEY_B64 + "\"}]}";
    }

    @Test
    void connectionRefusedIsRetriedThenSucceeds() throws Exception {
        when(transport.exchange(any(), any(), any()))
                .thenThrow(new ConnectException("Connection refused"))
                .thenThrow(new ConnectException("Connection refused"))
                .thenReturn(json(200, container(KEY_ID)));
        QkdKey k = client.encKey("SAE_B", 256);
        assertEquals(KEY_ID, k.keyId());
        verify(transport, times(3)).exchange(eq("POST"), eq(URI.create("https://kme.example:8443/api/v1/keys/SAE_B/enc_keys")), any());
    }

    @Test
    void requestBodiesAreTheStandardsJson() throws Exception {
        // A fresh response each time: the client zeroes every body it has parsed.
        when(transport.exchange(any(), any(), any())).thenAnswer(inv -> json(200, container(KEY_ID)));
        client.encKey("SAE_B", 256);
        client.decKey("SAE_B", KEY_ID, 256);
        ArgumentCaptor<byte[]> bodies = ArgumentCaptor.forClass(byte[].class);
        verify(transport, times(2)).exchange(eq("POST"), any(), bodies.capture());
        assertEquals("{\"number\":1,\"size\":256}", new String(bodies.getAllValues().get(0), StandardCharsets.UTF_8));
        assertEquals("{\"key_IDs\":[{\"key_ID\":\"" + KEY_ID + "\"}]}",
                new String(bodies.getAllValues().get(1), StandardCharsets.UTF_8));
    }

    @Test
    void connectTimeoutsExhaustTheRetriesAsTimeout() throws Exception {
        when(transport.exchange(any(), any(), any())).thenThrow(new HttpConnectTimeoutException("connect timed out"));
        QkdException e = assertThrows(QkdException.class, () -> client.status("SAE_B"));
        assertEquals(Reason.TIMEOUT, e.reason());
        verify(transport, times(3)).exchange(any(), any(), any());
    }

    @Test
    void decKeysIsRetriedOnlyWhenTheRequestCannotHaveArrived() throws Exception {
        when(transport.exchange(any(), any(), any()))
                .thenThrow(new ConnectException("Connection refused"))
                .thenReturn(json(200, container(KEY_ID)));
        assertEquals(KEY_ID, client.decKey("SAE_B", KEY_ID, 256).keyId());
        verify(transport, times(2)).exchange(any(), any(), any());
    }

    @Test
    void decKeysIsNotRetriedAfterAConnectionReset() throws Exception {
        when(transport.exchange(any(), any(), any())).thenThrow(new IOException("Connection reset"));
        QkdException e = assertThrows(QkdException.class, () -> client.decKey("SAE_B", KEY_ID, 256));
        assertEquals(Reason.KME_UNREACHABLE, e.reason());
        verify(transport, times(1)).exchange(any(), any(), any());
    }

    @Test
    void encKeysIsRetriedAfterAConnectionReset() throws Exception {
        when(transport.exchange(any(), any(), any()))
                .thenThrow(new IOException("Connection reset"))
                .thenReturn(json(200, container(KEY_ID)));
        assertEquals(KEY_ID, client.encKey("SAE_B", 256).keyId());
        verify(transport, times(2)).exchange(any(), any(), any());
    }

    @Test
    void badRequestAndUnauthorizedAreNotRetried() throws Exception {
        when(transport.exchange(any(), any(), any()))
                .thenReturn(json(400, "{\"message\":\"size out of range\",\"details\":[{\"min\":64}]}"))
                .thenReturn(new KmeHttpResponse(401, "text/html", "<html>401</html>".getBytes(StandardCharsets.US_ASCII)));
        QkdException bad = assertThrows(QkdException.class, () -> client.encKey("SAE_B", 256));
        assertEquals(Reason.BAD_REQUEST, bad.reason());
        assertTrue(bad.getMessage().endsWith("KME says: \"size out of range\""), bad.getMessage());
        QkdException unauth = assertThrows(QkdException.class, () -> client.encKey("SAE_B", 256));
        assertEquals(Reason.UNAUTHORIZED, unauth.reason());
        verify(transport, times(2)).exchange(any(), any(), any());
    }

    @Test
    void anUndefinedStatusIsUnexpected() throws Exception {
        when(transport.exchange(any(), any(), any())).thenReturn(new KmeHttpResponse(500, null, new byte[0]));
        QkdException e = assertThrows(QkdException.class, () -> client.status("SAE_B"));
        assertEquals(Reason.UNEXPECTED_STATUS, e.reason());
        assertTrue(e.getMessage().contains("HTTP 500") && e.getMessage().contains("Content-Type absent, 0 bytes"), e.getMessage());
        verify(transport, times(1)).exchange(any(), any(), any());
    }

    @Test
    void interruptionIsReportedAndPreserved() throws Exception {
        when(transport.exchange(any(), any(), any())).thenThrow(new InterruptedException());
        QkdException e = assertThrows(QkdException.class, () -> client.status("SAE_B"));
        assertEquals(Reason.INTERRUPTED, e.reason());
        assertTrue(Thread.interrupted()); // clears the flag for the next test
    }

    @Test
    void responseBodiesHoldingKeysAreZeroedAfterParsing() throws Exception {
        KmeHttpResponse r = json(200, container(KEY_ID));
        when(transport.exchange(any(), any(), any())).thenReturn(r);
        QkdKey k = client.encKey("SAE_B", 256);
        for (byte b : r.body()) {
            assertEquals(0, b);
        }
        byte[] copy = k.copyOfKey();
        assertEquals(32, copy.length);
        assertEquals(1, copy[1]);
        k.destroy();
        assertTrue(k.isDestroyed());
        assertThrows(IllegalStateException.class, k::copyOfKey);
    }

    @Test
    void decKeysAnsweringAnotherKeyIdIsMalformed() throws Exception {
        when(transport.exchange(any(), any(), any())).thenReturn(json(200, container("11111111-2222-4333-8444-555555555555")));
        QkdException e = assertThrows(QkdException.class, () -> client.decKey("SAE_B", KEY_ID, 256));
        assertEquals(Reason.MALFORMED_RESPONSE, e.reason());
    }

    @Test
    void offeredKeyIdMustBeAUuidAndNoRequestIsMade() throws Exception {
        QkdException e = assertThrows(QkdException.class, () -> client.decKey("SAE_B", "../../status", 256));
        assertEquals(Reason.MALFORMED_OFFER, e.reason());
        verify(transport, times(0)).exchange(any(), any(), any());
    }

    @Test
    void saeIdsAreCheckedBeforeTheyEnterAUrl() {
        assertThrows(IllegalArgumentException.class, () -> client.status("SAE_B/../x"));
        assertThrows(IllegalArgumentException.class, () -> new QkdClient(KME, "", transport, 3, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new QkdClient(KME, "SAE_A", transport, 0, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new QkdClient(URI.create("http://kme.example/"), "SAE_A", transport, 3, Duration.ZERO));
    }
}
