package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * SPEC.md §4.4 exact parsing for every message type: one trailing byte inside a body is refused by that message's
 * own parser (named in the error), every truncation (with a length field that agrees, so the body parser itself
 * runs out) is a DECODE_ERROR; encodings compared at values of 2^8 and more; each maximum accepted exactly and
 * refused one past it.
 */
class ExactParsingTest {
    private static final HexFormat HEX = HexFormat.of();

    static final List<HandshakeMessage> HANDSHAKE = List.of(
            new ClientHello(1, new byte[32], List.of(1, 2), List.of(0x0905),
                    List.of(new KeySourceEntry("x-wing", new byte[] {1, 2, 3})), "server.qsp.test", true),
            new ServerHello(1, new byte[32], new byte[48], 1, 0x0905, List.of(new KeySourceEntry("x-wing", new byte[5])), true),
            new CertificateMessage(List.of(new byte[] {9, 9}, new byte[] {8})),
            new CertificateVerify(0x0905, new byte[] {7, 6}),
            new Finished(new byte[48]));

    static final List<RekeyMessage> REKEY = List.of(new RekeyMessage.Request(RekeyKind.FRESH),
            new RekeyMessage.Init(RekeyKind.FRESH, 7, List.of(new KeySourceEntry("x-wing", new byte[3]))),
            new RekeyMessage.Ack(7, List.of(new KeySourceEntry("x-wing", new byte[2]))), new RekeyMessage.Commit(7));

    private static String name(HandshakeMessage m) {
        return switch (m) {
            case ClientHello c -> "ClientHello";
            case ServerHello s -> "ServerHello";
            case CertificateMessage c -> "Certificate";
            case CertificateVerify c -> "CertificateVerify";
            case Finished f -> "Finished";
        };
    }

    /** {@code enc} with its body cut or extended to {@code bodyLen} and the u24 length saying so. */
    private static byte[] withBody(byte[] enc, int bodyLen) {
        byte[] t = Arrays.copyOf(enc, 4 + bodyLen);
        t[1] = (byte) (bodyLen >>> 16);
        t[2] = (byte) (bodyLen >>> 8);
        t[3] = (byte) bodyLen;
        return t;
    }

    @Test
    void everyHandshakeMessageRefusesOneTrailingByte() {
        for (HandshakeMessage m : HANDSHAKE) {
            byte[] enc = m.encode();
            byte[] longer = withBody(enc, enc.length - 4 + 1);
            QspProtocolException e = assertThrows(QspProtocolException.class, () -> HandshakeMessage.decode(longer), name(m));
            assertEquals("DECODE_ERROR: " + name(m) + ": 1 trailing bytes", e.getMessage());
        }
    }

    @Test
    void everyHandshakeMessageRefusesEveryTruncation() {
        for (HandshakeMessage m : HANDSHAKE) {
            byte[] enc = m.encode();
            for (int body = 0; body < enc.length - 4; body++) {
                byte[] t = withBody(enc, body);
                QspProtocolException e = assertThrows(QspProtocolException.class, () -> HandshakeMessage.decode(t), name(m) + " body " + body);
                assertEquals(QspError.DECODE_ERROR, e.error(), name(m) + " body " + body + ": " + e.getMessage());
            }
        }
    }

    @Test
    void everyRekeyMessageRefusesTrailingBytesAndTruncation() throws Exception {
        for (RekeyMessage m : REKEY) {
            byte[] enc = m.encode();
            assertArrayEquals(enc, RekeyMessage.decode(enc, 0, enc.length).encode());
            byte[] longer = Arrays.copyOf(enc, enc.length + 1);
            QspProtocolException e = assertThrows(QspProtocolException.class, () -> RekeyMessage.decode(longer, 0, longer.length));
            assertEquals("DECODE_ERROR: rekey message: 1 trailing bytes", e.getMessage());
            for (int cut = 0; cut < enc.length; cut++) {
                int n = cut;
                // The bytes past the cut are there in the array but outside the range: a parser must not read them.
                QspProtocolException t = assertThrows(QspProtocolException.class, () -> RekeyMessage.decode(enc, 0, n), m + " cut " + n);
                assertEquals(QspError.DECODE_ERROR, t.error(), m + " cut " + n);
            }
        }
    }

    @Test
    void readerNeverReadsPastItsRange() {
        byte[] b = {1, 2, 3, 4, 5, 6, 7, 8};
        for (int len = 0; len < 4; len++) {
            WireReader r = new WireReader(b, 2, len);
            int l = len;
            if (l < 1) assertThrows(QspProtocolException.class, () -> r.u8("f"));
            if (l < 2) assertThrows(QspProtocolException.class, () -> new WireReader(b, 2, l).u16("f"));
            if (l < 3) assertThrows(QspProtocolException.class, () -> new WireReader(b, 2, l).u24("f"));
            assertThrows(QspProtocolException.class, () -> new WireReader(b, 2, l).u32("f"));
            assertThrows(QspProtocolException.class, () -> new WireReader(b, 2, l).bytes(l + 1, "f"));
            assertThrows(QspProtocolException.class, () -> new WireReader(b, 2, l).sub(l + 1, "f"));
        }
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> new WireReader(b, 0, 3).u32("epoch"));
        assertEquals("DECODE_ERROR: epoch: needs 4 bytes, 3 left", e.getMessage());
    }

    @Test
    void readerValuesAtAndAbove2To8() throws Exception {
        byte[] b = HEX.parseHex("0102" + "010203" + "a1b2c3d4" + "fffe");
        WireReader r = new WireReader(b);
        assertEquals(0x0102, r.u16("a"));
        assertEquals(0x010203, r.u24("b"));
        assertEquals(0xA1B2C3D4, r.u32("c"));
        assertEquals(0xFFFE, r.u16("d"));
        r.expectEnd("x");
        WireWriter w = new WireWriter(4);
        w.u16(0x0102).u24(0x010203).u32(0xA1B2C3D4).u16(0xFFFE);
        assertArrayEquals(b, w.toByteArray());
    }

    @Test
    void rekeyEncodingsAtLargeEpochs() throws Exception {
        assertEquals("020101020304" + "00", HEX.formatHex(new RekeyMessage.Init(RekeyKind.RATCHET, 0x01020304, List.of()).encode()));
        assertEquals("0401020304", HEX.formatHex(new RekeyMessage.Commit(0x01020304).encode()));
        assertEquals("03a1b2c3d4" + "00", HEX.formatHex(new RekeyMessage.Ack(0xA1B2C3D4, List.of()).encode()));
        RekeyMessage.Ack a = (RekeyMessage.Ack) RekeyMessage.decode(HEX.parseHex("03a1b2c3d400"), 0, 6);
        assertEquals(0xA1B2C3D4, a.nextEpoch());
        RekeyMessage.Init i = (RekeyMessage.Init) RekeyMessage.decode(HEX.parseHex("02010102030400"), 0, 7);
        assertEquals(0x01020304, i.nextEpoch());
        assertEquals(RekeyKind.RATCHET, i.kind());
        RekeyMessage.Commit c = (RekeyMessage.Commit) RekeyMessage.decode(HEX.parseHex("04fffffffe"), 0, 5);
        assertEquals(0xFFFFFFFE, c.nextEpoch());
    }

    @Test
    void frameHeaderAtLargeEpochSeqAndLength() {
        byte[] b = new byte[Frames.HEADER_LENGTH];
        Frames.writeHeader(b, 0, FrameType.APP_DATA, 0x01020304, 0x0102030405060708L, 0x0A0B);
        assertEquals("02" + "01020304" + "0102030405060708" + "0a0b", HEX.formatHex(b));
        assertEquals(0x01020304, Frames.epoch(b, 0));
        assertEquals(0x0102030405060708L, Frames.seq(b, 0));
        assertEquals(0x0A0B, Frames.length(b, 0));
        Frames.writeHeader(b, 0, FrameType.APP_DATA, 0xFFFFFFFF, -1L, 0xFFFF);
        assertEquals(0xFFFFFFFF, Frames.epoch(b, 0));
        assertEquals(-1L, Frames.seq(b, 0));
        assertEquals(0xFFFF, Frames.length(b, 0));
    }

    @Test
    void certificateOfU24LengthEncodesAllThreeBytes() throws Exception {
        byte[] cert = new byte[0x010203];
        cert[0] = 0x30;
        byte[] enc = new CertificateMessage(List.of(cert)).encode();
        int body = 1 + 3 + cert.length;
        assertEquals(HEX.formatHex(new byte[] {3, (byte) (body >>> 16), (byte) (body >>> 8), (byte) body, 1, 1, 2, 3, 0x30}),
                HEX.formatHex(Arrays.copyOf(enc, 9)));
        CertificateMessage back = (CertificateMessage) HandshakeMessage.decode(enc);
        assertEquals(cert.length, back.certificates().getFirst().length);
    }

    @Test
    void certificateCountAtAndPastTheMaximum() throws Exception {
        List<byte[]> certs = new ArrayList<>();
        for (int i = 0; i < CertificateMessage.MAX_CERTIFICATES; i++) certs.add(new byte[] {(byte) i});
        byte[] enc = new CertificateMessage(certs).encode();
        assertEquals(CertificateMessage.MAX_CERTIFICATES, ((CertificateMessage) HandshakeMessage.decode(enc)).certificates().size());
        certs.add(new byte[] {9});
        byte[] over = new CertificateMessage(certs).encode();
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> HandshakeMessage.decode(over));
        assertEquals("DECODE_ERROR: Certificate: 9 certificates, at most 8", e.getMessage());
    }

    @Test
    void keySourceEntriesAtAndPastTheMaximum() throws Exception {
        List<KeySourceEntry> entries = new ArrayList<>();
        for (int i = 0; i < KeySourceEntry.MAX_ENTRIES; i++) entries.add(new KeySourceEntry("s" + i, new byte[] {(byte) i}));
        byte[] enc = new RekeyMessage.Init(RekeyKind.FRESH, 1, entries).encode();
        assertEquals(entries, ((RekeyMessage.Init) RekeyMessage.decode(enc, 0, enc.length)).offers());
        entries.add(new KeySourceEntry("s8", new byte[1]));
        byte[] over = new RekeyMessage.Init(RekeyKind.FRESH, 1, entries).encode();
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> RekeyMessage.decode(over, 0, over.length));
        assertEquals("DECODE_ERROR: REKEY_INIT offers: 9 entries, at most 8", e.getMessage());
    }

    @Test
    void handshakeMessageOfExactlyTheMaximumBody() throws Exception {
        // Certificate body = u8 count + u24 length + cert: a certificate of MAX_BODY - 4 bytes fills it exactly.
        byte[] enc = new CertificateMessage(List.of(new byte[HandshakeMessage.MAX_BODY - 4])).encode();
        assertEquals(4 + HandshakeMessage.MAX_BODY, enc.length);
        assertEquals(1, ((CertificateMessage) HandshakeMessage.decode(enc)).certificates().size());
        byte[] over = new CertificateMessage(List.of(new byte[HandshakeMessage.MAX_BODY - 3])).encode();
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> HandshakeMessage.decode(over));
        assertEquals("DECODE_ERROR: handshake message of 131073 bytes, at most 131072", e.getMessage());
    }

    @Test
    void protectedFrameOfExactlyTheTagLength() throws Exception {
        RecordLayer send = new RecordLayer();
        RecordLayer recv = new RecordLayer();
        send.installSend(AeadSuite.AES_256_GCM, 0, new SecretKeySpec(new byte[32], "AES"));
        recv.installRecv(AeadSuite.AES_256_GCM, 0, new SecretKeySpec(new byte[32], "AES"));
        ByteQueue out = new ByteQueue(64);
        send.seal(FrameType.APP_DATA, new byte[0], 0, 0, out, Long.MAX_VALUE);
        assertEquals(Frames.HEADER_LENGTH + Frames.TAG_LENGTH, out.size());
        byte[] f = Arrays.copyOfRange(out.array(), out.start(), out.start() + out.size());
        assertEquals(Frames.TAG_LENGTH, Frames.length(f, 0));
        assertEquals(0, recv.open(f, 0, 0, 0, Frames.TAG_LENGTH, new byte[16], 0), "an empty APP_DATA frame of 16 bytes opens");
        assertEquals(1, recv.recvSeq());
        QspProtocolException e = assertThrows(QspProtocolException.class,
                () -> recv.open(f, 0, 0, 1, Frames.TAG_LENGTH - 1, new byte[16], 0));
        assertEquals("BAD_RECORD_MAC: protected frame shorter than its tag", e.getMessage());
        assertEquals(1, recv.recvSeq(), "a refused frame consumes no sequence number");
    }

    @Test
    void recordLayerRefusesWrongEpochAndSeqAtLargeValues() throws Exception {
        RecordLayer recv = new RecordLayer();
        recv.installRecv(AeadSuite.AES_256_GCM, 0x01020304, new SecretKeySpec(new byte[32], "AES"));
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> recv.open(new byte[64], 0, 0x01020305, 0, 16, new byte[16], 0));
        assertEquals("UNEXPECTED_EPOCH: frame epoch 16909061, expected 16909060", e.getMessage());
        e = assertThrows(QspProtocolException.class, () -> recv.open(new byte[64], 0, 0x01020304, 0x100, 16, new byte[16], 0));
        assertEquals("UNEXPECTED_SEQUENCE: frame seq 256, expected 0", e.getMessage());
        e = assertThrows(QspProtocolException.class, () -> recv.acceptPlain(0x100, 0));
        assertEquals(QspError.UNEXPECTED_EPOCH, e.error());
        e = assertThrows(QspProtocolException.class, () -> recv.acceptPlain(0, 0x100));
        assertEquals("UNEXPECTED_SEQUENCE: handshake frame seq 256, expected 0", e.getMessage());
    }
}
