package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The receiver rules of SPEC.md §4.3–§4.6 and §4.10 that an implementation written from the text alone must
 * get right, each with its exact error code: list encodings, ascii8, rekey types, the order in which an
 * unprotected frame's fields are checked, empty HANDSHAKE frames, handshake bytes left over at the key switch,
 * the separate protected sequence and CertificateVerify's scheme.
 */
class WireRulesTest {

    private static QspError decodeError(byte[] encodedMessage) {
        return assertThrows(QspProtocolException.class, () -> HandshakeMessage.decode(encodedMessage)).error();
    }

    /** A ClientHello body with the given id lists (already encoded as {@code u8(len) ‖ ids}) and one offer. */
    private static byte[] clientHello(byte[] aeads, byte[] sigs, byte[] sourceId) {
        WireWriter w = new WireWriter();
        w.u16(1).bytes(new byte[32]).bytes(aeads).bytes(sigs);
        w.u8(1).lp8(sourceId).lp16(new byte[]{1});
        w.ascii8("").u8(0);
        byte[] body = w.toByteArray();
        return new WireWriter().u8(HandshakeMessage.CLIENT_HELLO).u24(body.length).bytes(body).toByteArray();
    }

    private static final byte[] ONE_AEAD = {2, 0, 1};
    private static final byte[] ONE_SIG = {2, 9, 5};
    private static final byte[] X_WING = "x-wing".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void idListsAreNonEmptyWholeU16sWithoutRepeats() throws Exception {
        assertEquals(ClientHello.class, HandshakeMessage.decode(clientHello(ONE_AEAD, ONE_SIG, X_WING)).getClass());
        assertEquals(QspError.DECODE_ERROR, decodeError(clientHello(new byte[]{0}, ONE_SIG, X_WING)), "empty aead_ids");
        assertEquals(QspError.DECODE_ERROR, decodeError(clientHello(ONE_AEAD, new byte[]{0}, X_WING)), "empty signature_ids");
        assertEquals(QspError.DECODE_ERROR, decodeError(clientHello(new byte[]{3, 0, 1, 0}, ONE_SIG, X_WING)), "odd length");
        assertEquals(QspError.ILLEGAL_PARAMETER, decodeError(clientHello(new byte[]{4, 0, 1, 0, 1}, ONE_SIG, X_WING)), "AEAD twice");
        assertEquals(QspError.ILLEGAL_PARAMETER, decodeError(clientHello(ONE_AEAD, new byte[]{4, 9, 5, 9, 5}, X_WING)), "scheme twice");
        // Unknown ids are not an error: the server ignores them (§4.2), so a later version can add some.
        ClientHello unknown = (ClientHello) HandshakeMessage.decode(clientHello(new byte[]{4, 0x7F, 0x7F, 0, 1}, ONE_SIG, X_WING));
        assertEquals(List.of(0x7F7F, 1), unknown.aeadIds());
        // And an engine cannot be configured to send a repeat.
        assertThrows(IllegalArgumentException.class, () -> Fixtures.client()
                .aeadSuites(List.of(AeadSuite.AES_256_GCM, AeadSuite.AES_256_GCM)).build());
        assertThrows(IllegalArgumentException.class, () -> Fixtures.client()
                .signatureSchemes(List.of(SignatureScheme.ML_DSA_65, SignatureScheme.ML_DSA_65)).build());
    }

    @Test
    void ascii8IsPrintableAsciiAndASourceIdIsNotEmpty() throws Exception {
        for (int bad : new int[]{0x00, 0x1F, 0x7F, 0x80, 0xFF}) {
            assertEquals(QspError.DECODE_ERROR, decodeError(clientHello(ONE_AEAD, ONE_SIG, new byte[]{'x', (byte) bad})),
                    "source_id byte 0x" + Integer.toHexString(bad));
        }
        assertEquals(QspError.ILLEGAL_PARAMETER, decodeError(clientHello(ONE_AEAD, ONE_SIG, new byte[0])), "empty source_id");
        ClientHello edges = (ClientHello) HandshakeMessage.decode(clientHello(ONE_AEAD, ONE_SIG, new byte[]{0x20, 0x7E}));
        assertEquals(" ~", edges.offers().getFirst().sourceId());
        // server_name is ascii8 too.
        byte[] ch = new ClientHello(1, new byte[32], List.of(1), List.of(0x0905), List.of(), "a", false).encode();
        ch[ch.length - 2] = 0x0A;
        assertEquals(QspError.DECODE_ERROR, decodeError(ch), "newline in server_name");
    }

    @Test
    void rekeyTypesAndKinds() {
        assertEquals(QspError.UNEXPECTED_MESSAGE, rekeyError(new byte[]{0}), "rekey_type 0");
        assertEquals(QspError.UNEXPECTED_MESSAGE, rekeyError(new byte[]{5, 1}), "rekey_type 5");
        assertEquals(QspError.DECODE_ERROR, rekeyError(new byte[0]), "empty REKEY plaintext");
        assertEquals(QspError.ILLEGAL_PARAMETER, rekeyError(new byte[]{RekeyMessage.REQUEST, 0}), "kind 0");
        assertEquals(QspError.ILLEGAL_PARAMETER, rekeyError(new byte[]{RekeyMessage.INIT, 3, 0, 0, 0, 1, 0}), "kind 3");
        assertEquals(QspError.DECODE_ERROR, rekeyError(new byte[]{RekeyMessage.COMMIT, 0, 0, 0, 1, 0}), "trailing byte");
    }

    private static QspError rekeyError(byte[] plain) {
        return assertThrows(QspProtocolException.class, () -> RekeyMessage.decode(plain, 0, plain.length)).error();
    }

    // ---- unprotected frames (§4.3) ----------------------------------------------------------------------

    private static byte[] frame(int type, int epoch, long seq, int length, byte[] payload) {
        byte[] f = new byte[Frames.HEADER_LENGTH + payload.length];
        Frames.writeHeader(f, 0, FrameType.HANDSHAKE, epoch, seq, length);
        f[0] = (byte) type;
        System.arraycopy(payload, 0, f, Frames.HEADER_LENGTH, payload.length);
        return f;
    }

    /** Feeds {@code bytes} to a fresh server; returns its failure and checks it queued an unprotected CLOSE saying so. */
    private static QspError serverFailureOn(byte[] bytes) throws Exception {
        QspEngine s = QspEngine.server(Fixtures.server().build(), new SeededRandom("wire-rules"));
        s.start(0);
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> s.receive(bytes, 0, bytes.length, 0));
        assertFalse(e.isRemote());
        byte[] out = EnginePair.drainAll(s);
        assertEquals(Frames.HEADER_LENGTH + 2, out.length, "one unprotected CLOSE");
        assertEquals(FrameType.CLOSE.wire(), Frames.type(out, 0));
        assertEquals(e.error().wireValue(), ((out[15] & 0xFF) << 8) | (out[16] & 0xFF));
        return e.error();
    }

    @Test
    void unprotectedFrameFieldsAreCheckedInOrder() throws Exception {
        byte[] three = new byte[3];
        // 1. type, from the header alone, before length, epoch or seq.
        assertEquals(QspError.UNKNOWN_FRAME_TYPE, serverFailureOn(frame(9, 5, 7, 20000, new byte[0])));
        assertEquals(QspError.UNKNOWN_FRAME_TYPE, serverFailureOn(frame(0, 0, 0, 3, three)));
        // 2. length, from the header alone (no payload delivered), before epoch and seq.
        assertEquals(QspError.RECORD_OVERFLOW, serverFailureOn(frame(2, 5, 7, Frames.MAX_PLAIN_PAYLOAD + 1, new byte[0])));
        // 3. epoch, 4. seq: once the whole frame is there.
        assertEquals(QspError.UNEXPECTED_EPOCH, serverFailureOn(frame(2, 5, 7, 3, three)));
        assertEquals(QspError.UNEXPECTED_SEQUENCE, serverFailureOn(frame(2, 0, 7, 3, three)));
        // 5. the type allowed in this phase.
        assertEquals(QspError.UNEXPECTED_MESSAGE, serverFailureOn(frame(2, 0, 0, 3, three)));
        assertEquals(QspError.UNEXPECTED_MESSAGE, serverFailureOn(frame(3, 0, 0, 3, three)));
        // 6. the payload: an empty HANDSHAKE frame, a CLOSE body that is not 2 bytes, a malformed message.
        assertEquals(QspError.DECODE_ERROR, serverFailureOn(frame(1, 0, 0, 0, new byte[0])));
        assertEquals(QspError.UNEXPECTED_SEQUENCE, serverFailureOn(frame(1, 0, 1, 0, new byte[0])), "seq before emptiness");
        assertEquals(QspError.DECODE_ERROR, serverFailureOn(frame(4, 0, 0, 3, three)));
        assertEquals(QspError.UNEXPECTED_MESSAGE, serverFailureOn(frame(1, 0, 0, 4, new byte[]{9, 0, 0, 0})));

        // A header with a wrong epoch is not judged before its payload has arrived; a maximal length is fine.
        QspEngine s = QspEngine.server(Fixtures.server().build(), new SeededRandom("wire-rules"));
        s.start(0);
        byte[] header = frame(1, 5, 7, Frames.MAX_PLAIN_PAYLOAD, new byte[0]);
        s.receive(header, 0, header.length, 0);
        assertTrue(s.failure().isEmpty());
        assertEquals(QspError.UNEXPECTED_EPOCH,
                assertThrows(QspProtocolException.class, () -> s.receive(new byte[Frames.MAX_PLAIN_PAYLOAD], 0, Frames.MAX_PLAIN_PAYLOAD, 0)).error());
    }

    // ---- the key switch (§4.3, §4.4) --------------------------------------------------------------------

    /** The server's flight (one frame here) for a fresh pair, and the pair with the ClientHello delivered. */
    private static EnginePair afterClientHello(String seed) throws Exception {
        EnginePair p = new EnginePair(Fixtures.client().build(), Fixtures.server().build(), seed);
        p.server.start(0);
        p.client.start(0);
        byte[] ch = EnginePair.drainAll(p.client);
        p.deliver(p.server, true, ch, 0, ch.length);
        return p;
    }

    private static byte[] appendToLastFrame(byte[] stream, byte[] extra) {
        List<byte[]> frames = EnginePair.frames(stream);
        byte[] last = frames.getLast();
        byte[] longer = java.util.Arrays.copyOf(last, last.length + extra.length);
        System.arraycopy(extra, 0, longer, last.length, extra.length);
        int len = Frames.length(last, 0) + extra.length;
        longer[13] = (byte) (len >>> 8);
        longer[14] = (byte) len;
        frames.set(frames.size() - 1, longer);
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        frames.forEach(o::writeBytes);
        return o.toByteArray();
    }

    @Test
    void handshakeBytesLeftOverAtTheKeySwitchAreUnexpected() throws Exception {
        // Partial header, a whole extra message: both follow the server's Finished in its last frame.
        for (byte[] extra : new byte[][]{{5}, new Finished(new byte[48]).encode()}) {
            EnginePair p = afterClientHello("leftover-" + extra.length);
            byte[] flight = appendToLastFrame(EnginePair.drainAll(p.server), extra);
            QspProtocolException e = assertThrows(QspProtocolException.class, () -> p.client.receive(flight, 0, flight.length, 0));
            assertEquals(QspError.UNEXPECTED_MESSAGE, e.error());
            assertFalse(e.isRemote());
            assertFalse(p.client.isHandshakeComplete());
        }
        // The server's side: bytes after the client's Finished.
        EnginePair p = afterClientHello("leftover-server");
        byte[] flight = EnginePair.drainAll(p.server);
        p.client.receive(flight, 0, flight.length, 0);
        byte[] fin = appendToLastFrame(EnginePair.drainAll(p.client), new byte[]{1, 0});
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> p.server.receive(fin, 0, fin.length, 0));
        assertEquals(QspError.UNEXPECTED_MESSAGE, e.error());
        assertFalse(p.server.isHandshakeComplete());
    }

    @Test
    void afterTheSwitchAnUnprotectedHandshakeFrameFailsTheProtectedChecks() throws Exception {
        // Continuing the unprotected count (seq 1): the protected sequence restarted at 0.
        EnginePair p = afterClientHello("after-switch");
        byte[] flight = EnginePair.drainAll(p.server);
        byte[] late = frame(1, 0, 1, 4, new byte[]{5, 0, 0, 0});
        byte[] both = java.util.Arrays.copyOf(flight, flight.length + late.length);
        System.arraycopy(late, 0, both, flight.length, late.length);
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> p.client.receive(both, 0, both.length, 0));
        assertEquals(QspError.UNEXPECTED_SEQUENCE, e.error());
        assertTrue(p.client.isHandshakeComplete());

        // At (0, 0) it is read as a protected frame and fails authentication.
        EnginePair q = afterClientHello("after-switch-0");
        byte[] flight2 = EnginePair.drainAll(q.server);
        q.client.receive(flight2, 0, flight2.length, 0);
        byte[] forged = frame(1, 0, 0, 20, new byte[20]);
        assertEquals(QspError.BAD_RECORD_MAC,
                assertThrows(QspProtocolException.class, () -> q.client.receive(forged, 0, forged.length, 0)).error());
    }

    @Test
    void protectedSequenceStartsAtZeroApartFromTheUnprotectedCount() throws Exception {
        EnginePair p = afterClientHello("sequences");
        byte[] flight = EnginePair.drainAll(p.server);
        assertEquals(1, EnginePair.frames(flight).size());
        p.client.receive(flight, 0, flight.length, 0);
        byte[] fin = EnginePair.drainAll(p.client);
        assertEquals(1L, Frames.seq(fin, 0), "the client's Finished is its second unprotected frame");
        byte[] hi = {1, 2, 3};
        p.client.writeApplicationData(hi, 0, 3, 0);
        byte[] data = EnginePair.drainAll(p.client);
        assertEquals(FrameType.APP_DATA.wire(), Frames.type(data, 0));
        assertEquals(0, Frames.epoch(data, 0));
        assertEquals(0L, Frames.seq(data, 0), "the first protected frame is (0, 0)");
        p.server.receive(fin, 0, fin.length, 0);
        p.server.receive(data, 0, data.length, 0);
        assertEquals(1L, p.server.receiveSequence());
        p.server.writeApplicationData(hi, 0, 3, 0);
        byte[] back = EnginePair.drainAll(p.server);
        assertEquals(0L, Frames.seq(back, 0), "the server's too, after its one unprotected frame");
        p.client.receive(back, 0, back.length, 0);
        assertTrue(p.client.failure().isEmpty());
    }

    // ---- CertificateVerify (§4.6) -----------------------------------------------------------------------

    @Test
    void certificateVerifySchemeMustEqualServerHellos() throws Exception {
        EnginePair p = afterClientHello("cv-scheme");
        // CertificateVerify body byte 1 is the low byte of signature_id: 0x0905 (ML-DSA-65) becomes 0x0904
        // (ML-DSA-44), a scheme the client accepts, so only the equality rule can refuse it.
        byte[] flight = EnginePair.tamperHandshake(EnginePair.drainAll(p.server), HandshakeMessage.CERTIFICATE_VERIFY, 1, 0);
        p.deliver(p.client, false, flight, 0, flight.length);
        p.pump();
        QspProtocolException e = p.errorOf(p.client);
        assertNotNull(e);
        assertEquals(QspError.ILLEGAL_PARAMETER, e.error());
        assertFalse(e.isRemote());
        assertTrue(e.getMessage().contains("differs from the one in ServerHello"), e.getMessage());
        assertEquals(QspError.ILLEGAL_PARAMETER, p.errorOf(p.server).error());
        assertTrue(p.errorOf(p.server).isRemote());
    }

    // ---- Hello check order (§4.5) -----------------------------------------------------------------------

    /** The client's error when the server's flight is rewritten by flipping {@code (message type, body offset, bit)}s. */
    private static QspProtocolException clientErrorWithFlips(String seed, int[]... flips) throws Exception {
        EnginePair p = afterClientHello(seed);
        byte[] flight = EnginePair.drainAll(p.server);
        for (int[] f : flips) flight = EnginePair.tamperHandshake(flight, f[0], f[1], f[2]);
        byte[] tampered = flight;
        return assertThrows(QspProtocolException.class, () -> p.client.receive(tampered, 0, tampered.length, 0));
    }

    @Test
    void serverHelloIsCheckedVersionHashAeadSignature() throws Exception {
        int sh = HandshakeMessage.SERVER_HELLO;
        int[] version = {sh, 1, 1};            // 0x0001 -> 0x0003
        int[] hash = {sh, 2 + 32, 0};          // first byte of client_hello_hash
        int[] aead = {sh, 2 + 32 + 48 + 1, 1}; // 0x0001 -> 0x0003, never offered
        int[] sig = {sh, 2 + 32 + 48 + 2 + 1, 1};
        assertEquals(QspError.UNSUPPORTED_VERSION, clientErrorWithFlips("sh-order-1", version, hash, aead, sig).error());
        assertEquals(QspError.DOWNGRADE, clientErrorWithFlips("sh-order-2", hash, aead, sig).error());
        QspProtocolException e = clientErrorWithFlips("sh-order-3", aead, sig);
        assertEquals(QspError.ILLEGAL_PARAMETER, e.error());
        assertTrue(e.getMessage().contains("AEAD"), e.getMessage());
        e = clientErrorWithFlips("sh-order-4", sig);
        assertEquals(QspError.ILLEGAL_PARAMETER, e.error());
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
    }

    @Test
    void clientHelloVersionIsCheckedBeforeTheSuites() throws Exception {
        QspEngine c = QspEngine.client(Fixtures.client().build(), new SeededRandom("ch-order"));
        c.start(0);
        byte[] ch = EnginePair.drainAll(c);
        int body = Frames.HEADER_LENGTH + 4;
        ch = EnginePair.tamperHandshake(ch, HandshakeMessage.CLIENT_HELLO, 1, 1);          // version 0x0003
        ch = EnginePair.tamperHandshake(ch, HandshakeMessage.CLIENT_HELLO, 2 + 32 + 2, 1); // AES-256-GCM -> 0x0003
        ch = EnginePair.tamperHandshake(ch, HandshakeMessage.CLIENT_HELLO, 2 + 32 + 4, 3); // ChaCha20 -> 0x000A
        assertEquals(3, ch[body + 1]);
        assertEquals(QspError.UNSUPPORTED_VERSION, serverFailureOn(ch));
        ch = EnginePair.tamperHandshake(ch, HandshakeMessage.CLIENT_HELLO, 1, 1);          // version back to 0x0001
        assertEquals(QspError.NO_COMMON_SUITE, serverFailureOn(ch));
    }
}
