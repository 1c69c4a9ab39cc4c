package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Handshake and rekey message encodings round-trip, and malformed input gets a specific error. */
class MessageCodecTest {

    private static final ClientHello CH = new ClientHello(1, new byte[32], List.of(1, 2), List.of(0x0905),
            List.of(new KeySourceEntry("x-wing", new byte[]{1, 2, 3})), "server.qsp.test", true);

    @Test
    void handshakeMessagesRoundTrip() throws Exception {
        List<HandshakeMessage> all = List.of(CH,
                new ServerHello(1, new byte[32], new byte[48], 1, 0x0905, List.of(new KeySourceEntry("x-wing", new byte[5])), false),
                new CertificateMessage(List.of(new byte[]{9, 9})), new CertificateVerify(0x0905, new byte[]{7}),
                new Finished(new byte[48]));
        for (HandshakeMessage m : all) {
            byte[] enc = m.encode();
            assertArrayEquals(enc, HandshakeMessage.decode(enc).encode(), m.getClass().getSimpleName());
        }
    }

    @Test
    void clientHelloLayoutIsExact() {
        byte[] enc = CH.encode();
        // type, u24 length, version, random, lp8 AEADs (2 ids), lp8 sigs (1 id), 1 entry, server name, flags
        int expectedBody = 2 + 32 + 1 + 4 + 1 + 2 + 1 + (1 + 6 + 2 + 3) + (1 + 15) + 1;
        assertEquals(4 + expectedBody, enc.length);
        assertEquals(1, enc[0]);
        assertEquals(expectedBody, ((enc[1] & 0xFF) << 16) | ((enc[2] & 0xFF) << 8) | (enc[3] & 0xFF));
    }

    @Test
    void truncatedAndTrailingBytesAreDecodeErrors() {
        byte[] enc = CH.encode();
        for (int cut = 1; cut < enc.length; cut++) {
            byte[] t = java.util.Arrays.copyOf(enc, cut);
            assertEquals(QspError.DECODE_ERROR, assertThrows(QspProtocolException.class, () -> HandshakeMessage.decode(t)).error(), "cut " + cut);
        }
        byte[] longer = java.util.Arrays.copyOf(enc, enc.length + 1);
        longer[3]++;
        assertEquals(QspError.DECODE_ERROR, assertThrows(QspProtocolException.class, () -> HandshakeMessage.decode(longer)).error());
    }

    @Test
    void repeatedSourceIdIsIllegal() {
        ClientHello twice = new ClientHello(1, new byte[32], List.of(1), List.of(0x0905),
                List.of(new KeySourceEntry("a", new byte[1]), new KeySourceEntry("a", new byte[1])), "", false);
        assertEquals(QspError.ILLEGAL_PARAMETER,
                assertThrows(QspProtocolException.class, () -> HandshakeMessage.decode(twice.encode())).error());
    }

    @Test
    void unknownHandshakeTypeAndOversizedMessage() {
        assertEquals(QspError.UNEXPECTED_MESSAGE,
                assertThrows(QspProtocolException.class, () -> HandshakeMessage.decode(new byte[]{9, 0, 0, 0})).error());
        assertEquals(QspError.DECODE_ERROR,
                assertThrows(QspProtocolException.class, () -> HandshakeMessage.decode(new byte[]{1, 0x7F, 0, 0})).error());
    }

    @Test
    void reassemblerRejectsAnOversizedAnnouncementBeforeBuffering() {
        HandshakeReassembler r = new HandshakeReassembler();
        int len = HandshakeMessage.MAX_BODY + 1;
        byte[] header = {2, (byte) (len >>> 16), (byte) (len >>> 8), (byte) len};
        assertEquals(QspError.DECODE_ERROR, assertThrows(QspProtocolException.class, () -> r.add(header, 0, 4)).error());
    }

    @Test
    void rekeyMessagesRoundTripAndRejectBadInput() throws Exception {
        List<RekeyMessage> all = List.of(new RekeyMessage.Request(RekeyKind.FRESH),
                new RekeyMessage.Init(RekeyKind.FRESH, 7, List.of(new KeySourceEntry("x-wing", new byte[3]))),
                new RekeyMessage.Init(RekeyKind.RATCHET, 7, List.of()),
                new RekeyMessage.Ack(7, List.of()), new RekeyMessage.Commit(7));
        for (RekeyMessage m : all) {
            byte[] enc = m.encode();
            assertEquals(m.getClass(), RekeyMessage.decode(enc, 0, enc.length).getClass());
            assertArrayEquals(enc, RekeyMessage.decode(enc, 0, enc.length).encode());
        }
        byte[] badKind = {RekeyMessage.REQUEST, 3};
        assertEquals(QspError.ILLEGAL_PARAMETER, assertThrows(QspProtocolException.class, () -> RekeyMessage.decode(badKind, 0, 2)).error());
        byte[] ratchetWithOffer = new RekeyMessage.Init(RekeyKind.FRESH, 1, List.of(new KeySourceEntry("k", new byte[1]))).encode();
        ratchetWithOffer[1] = 1;
        assertEquals(QspError.ILLEGAL_PARAMETER,
                assertThrows(QspProtocolException.class, () -> RekeyMessage.decode(ratchetWithOffer, 0, ratchetWithOffer.length)).error());
        byte[] unknown = {9};
        assertEquals(QspError.UNEXPECTED_MESSAGE, assertThrows(QspProtocolException.class, () -> RekeyMessage.decode(unknown, 0, 1)).error());
    }

    @Test
    void errorWireValuesAreUniqueAndRoundTrip() {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (QspError e : QspError.values()) {
            assertEquals(true, seen.add(e.wireValue()), e.name());
            assertEquals(e, QspError.fromWire(e.wireValue()));
        }
    }

    @Test
    void recordCipherNonceIsEpochThenSequence() throws Exception {
        // Seal with RecordCipher, open with a plain JCA Cipher using nonce = u32(epoch) ‖ u64(seq): they must agree.
        byte[] key = new byte[32];
        key[0] = 1;
        RecordCipher rc = new RecordCipher(AeadSuite.AES_256_GCM, 0x01020304, new javax.crypto.spec.SecretKeySpec(key, "AES"));
        byte[] frame = new byte[Frames.HEADER_LENGTH + 3 + 16];
        Frames.writeHeader(frame, 0, FrameType.APP_DATA, 0x01020304, 0x0506070809L, 3 + 16);
        rc.seal(frame, 0, 0x0506070809L, "abc".getBytes(), 0, 3);
        var c = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        byte[] nonce = {1, 2, 3, 4, 0, 0, 0, 5, 6, 7, 8, 9};
        c.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"), new javax.crypto.spec.GCMParameterSpec(128, nonce));
        c.updateAAD(frame, 0, Frames.HEADER_LENGTH);
        assertArrayEquals("abc".getBytes(), c.doFinal(frame, Frames.HEADER_LENGTH, 19));
    }
}
