package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.provider.QspProvider;
import dev.qsp.provider.kdf.Direction;
import dev.qsp.provider.kdf.EpochZeroSpec;
import dev.qsp.provider.kdf.FinishedKeySpec;
import dev.qsp.provider.kdf.HybridExtractSpec;
import dev.qsp.provider.kdf.TrafficKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.KEM;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.crypto.signers.MLDSASigner;
import org.junit.jupiter.api.Test;

/**
 * Regenerates the example handshake vector (SPEC.md §4.16) from the text of SPEC.md alone, without the engine:
 * the seeded streams, the order of the draws, every encoding (§4.3–§4.6), the ClientHello hash over
 * {@code u8(1) ‖ u24(len) ‖ body}, pure ML-DSA with an empty context and 32 hedging bytes from the server's
 * stream, the key schedule (§3, through {@code QSP-KDF}, which its own vectors pin) and the record layer (§4.9)
 * with the protected sequence starting at (0, 0) apart from the unprotected count. Every step must equal the
 * recorded vector byte for byte: if SPEC.md leaves out anything an implementer needs, this test cannot be written.
 */
class ExampleVectorFromSpecTest {
    private static final HexFormat HEX = HexFormat.of();

    /** SPEC.md §4.16: block i = SHA-256(UTF-8(seed) ‖ u64(i)), i = 0, 1, …; draws take the stream's next bytes in order. */
    static final class Stream {
        private final byte[] seed;
        private long counter;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private byte[] buffered = new byte[0];

        Stream(String seed) { this.seed = seed.getBytes(StandardCharsets.UTF_8); }

        byte[] take(int n) throws Exception {
            while (buffered.length < n) {
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                d.update(seed);
                d.update(u64(counter++));
                pending.reset();
                pending.write(buffered);
                pending.write(d.digest());
                buffered = pending.toByteArray();
            }
            byte[] out = java.util.Arrays.copyOf(buffered, n);
            buffered = java.util.Arrays.copyOfRange(buffered, n, buffered.length);
            return out;
        }
    }

    /** Hands out exactly the given draws, one per call, of exactly their sizes: pins how a primitive draws. */
    static final class ExactDraws extends SecureRandom {
        private final Deque<byte[]> draws = new ArrayDeque<>();

        ExactDraws(byte[]... draws) {
            super(new byte[0]);
            for (byte[] d : draws) this.draws.add(d);
        }

        @Override
        public void nextBytes(byte[] out) {
            byte[] d = draws.poll();
            if (d == null || d.length != out.length) {
                throw new AssertionError("unexpected draw of " + out.length + " bytes (expected " + (d == null ? "none" : d.length) + ")");
            }
            System.arraycopy(d, 0, out, 0, d.length);
        }

        boolean exhausted() { return draws.isEmpty(); }

        @Override
        public void setSeed(long s) {}

        @Override
        public void setSeed(byte[] s) {}
    }

    static byte[] u16(int v) { return new byte[]{(byte) (v >>> 8), (byte) v}; }

    static byte[] u24(int v) { return new byte[]{(byte) (v >>> 16), (byte) (v >>> 8), (byte) v}; }

    static byte[] u32(int v) { return new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v}; }

    static byte[] u64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) b[i] = (byte) (v >>> (56 - 8 * i));
        return b;
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    static byte[] lp8(byte[] x) { return cat(new byte[]{(byte) x.length}, x); }

    static byte[] lp16(byte[] x) { return cat(u16(x.length), x); }

    static byte[] lp24(byte[] x) { return cat(u24(x.length), x); }

    static byte[] ascii8(String s) { return lp8(s.getBytes(StandardCharsets.US_ASCII)); }

    /** §4.4: u8(msg_type) ‖ u24(len(body)) ‖ body. */
    static byte[] message(int type, byte[] body) { return cat(new byte[]{(byte) type}, u24(body.length), body); }

    /** §4.3: type ‖ u32(epoch) ‖ u64(seq) ‖ u16(len(payload)) ‖ payload. */
    static byte[] frame(int type, int epoch, long seq, byte[] payload) {
        return cat(new byte[]{(byte) type}, u32(epoch), u64(seq), u16(payload.length), payload);
    }

    static byte[] sha384(byte[]... parts) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-384");
        for (byte[] p : parts) d.update(p);
        return d.digest();
    }

    static byte[] hmac384(SecretKey key, byte[] data) throws Exception {
        Mac m = Mac.getInstance("HmacSHA384");
        m.init(new javax.crypto.spec.SecretKeySpec(key.getEncoded(), "HmacSHA384"));
        return m.doFinal(data);
    }

    /** §4.9: header = type ‖ u32(e) ‖ u64(seq) ‖ u16(len + 16); AES-256-GCM, nonce u32(e) ‖ u64(seq), aad = header. */
    static byte[] protectedFrame(int type, int epoch, long seq, SecretKey key, byte[] plaintext) throws Exception {
        byte[] header = cat(new byte[]{(byte) type}, u32(epoch), u64(seq), u16(plaintext.length + 16));
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, cat(u32(epoch), u64(seq))));
        c.updateAAD(header);
        return cat(header, c.doFinal(plaintext));
    }

    @Test
    void theVectorFollowsFromSpecAlone() throws Exception {
        Map<String, String> vector = ExampleHandshakeVectorTest.parse(new String(
                ExampleHandshakeVectorTest.resource(ExampleHandshakeVectorTest.VECTOR), StandardCharsets.UTF_8));
        KeyStore ks = ExampleHandshakeVectorTest.loadKeyStore(new java.io.ByteArrayInputStream(
                ExampleHandshakeVectorTest.resource(ExampleHandshakeVectorTest.KEYSTORE)));
        PrivateKey serverKey = (PrivateKey) ks.getKey("server", ExampleHandshakeVectorTest.PASSWORD);
        Certificate[] chain = ks.getCertificateChain("server");

        Stream client = new Stream("vector:client");
        Stream clientKem = new Stream("vector:client-kem");
        Stream server = new Stream("vector:server");
        Stream serverKem = new Stream("vector:server-kem");

        // --- ClientHello (§4.5): the client's KEM source draws the X-Wing seed, then the engine the random.
        ExactDraws keygen = new ExactDraws(clientKem.take(32));
        KeyPairGenerator kpg = KeyPairGenerator.getInstance("X-Wing", QspProvider.instance());
        kpg.initialize(new NamedParameterSpec("X-Wing"), keygen);
        KeyPair clientEphemeral = kpg.generateKeyPair();
        assertTrue(keygen.exhausted());
        byte[] spki = clientEphemeral.getPublic().getEncoded();
        assertEquals(1240, spki.length);
        byte[] clientHello = message(1, cat(u16(1), client.take(32),
                new byte[]{4}, u16(0x0001), u16(0x0002),
                new byte[]{10}, u16(0x0905), u16(0x0906), u16(0x0904), u16(0xFE01), u16(0xFE02),
                new byte[]{1}, ascii8("x-wing"), lp16(spki),
                ascii8("server.qsp.example"), new byte[]{0}));
        assertEquals(vector.get("c2s.1.client_hello"), HEX.formatHex(frame(1, 0, 0, clientHello)));

        // --- The server's flight: random, then the KEM's 64-byte eseed, then the signature's 32 hedging bytes.
        byte[] serverRandom = server.take(32);
        ExactDraws encaps = new ExactDraws(serverKem.take(64));
        KEM.Encapsulated enc = KEM.getInstance("X-Wing", QspProvider.instance())
                .newEncapsulator(clientEphemeral.getPublic(), encaps).encapsulate();
        assertTrue(encaps.exhausted());
        byte[] serverHello = message(2, cat(u16(1), serverRandom, sha384(clientHello), u16(0x0001), u16(0x0905),
                new byte[]{1}, ascii8("x-wing"), lp16(enc.encapsulation()), new byte[]{0}));
        ByteArrayOutputStream certs = new ByteArrayOutputStream();
        certs.write(chain.length);
        for (Certificate c : chain) certs.writeBytes(lp24(c.getEncoded())); // leaf first, as in the key entry
        byte[] certificate = message(3, certs.toByteArray());
        byte[] signed = cat("QSP v1 server CertificateVerify".getBytes(StandardCharsets.US_ASCII), new byte[]{0},
                sha384(clientHello, serverHello, certificate));
        byte[] rnd = server.take(32);
        ExactDraws hedge = new ExactDraws(rnd);
        Signature jdk = Signature.getInstance("ML-DSA-65");
        jdk.initSign(serverKey, hedge);
        jdk.update(signed);
        byte[] signature = jdk.sign();
        assertTrue(hedge.exhausted());
        // Pure ML-DSA (FIPS 204 Algorithm 2, not HashML-DSA) with an empty context, hedged with rnd: an independent
        // implementation given the same rnd produces the same bytes.
        assertArrayEquals(signature, bouncyCastleMlDsa65(serverKey, signed, rnd));
        byte[] certificateVerify = message(4, cat(u16(0x0905), lp16(signature)));

        SecretKey kemSecret = enc.key();
        KDF kdf = KDF.getInstance("QSP-KDF", QspProvider.instance());
        SecretKey hs = kdf.deriveKey("QSP-Secret", HybridExtractSpec.of(kemSecret.getEncoded(), null, null));
        SecretKey serverFinishedKey = kdf.deriveKey("QSP-Secret", new FinishedKeySpec(hs, Direction.SERVER_TO_CLIENT));
        byte[] serverFinished = message(5, hmac384(serverFinishedKey,
                sha384(clientHello, serverHello, certificate, certificateVerify)));
        byte[] flight = cat(serverHello, certificate, certificateVerify, serverFinished);
        assertTrue(flight.length <= Frames.MAX_PLAIN_PAYLOAD, "the flight fits one frame");
        assertEquals(vector.get("s2c.1.server_hello_certificate_certificate_verify_finished"),
                HEX.formatHex(frame(1, 0, 0, flight)));

        // --- The client's Finished: its second unprotected frame, so seq 1.
        SecretKey clientFinishedKey = kdf.deriveKey("QSP-Secret", new FinishedKeySpec(hs, Direction.CLIENT_TO_SERVER));
        byte[] clientFinished = message(5, hmac384(clientFinishedKey,
                sha384(clientHello, serverHello, certificate, certificateVerify, serverFinished)));
        assertEquals(vector.get("c2s.2.finished"), HEX.formatHex(frame(1, 0, 1, clientFinished)));

        // --- Epoch 0: each direction's protected frames count from seq 0, whatever was sent unprotected.
        SecretKey e0 = kdf.deriveKey("QSP-Secret", new EpochZeroSpec(hs,
                sha384(clientHello, serverHello, certificate, certificateVerify, serverFinished, clientFinished)));
        SecretKey c2s = kdf.deriveKey("AES", new TrafficKeySpec(e0, 0, Direction.CLIENT_TO_SERVER, 32));
        SecretKey s2c = kdf.deriveKey("AES", new TrafficKeySpec(e0, 0, Direction.SERVER_TO_CLIENT, 32));
        assertEquals(vector.get("c2s.3.app_data"),
                HEX.formatHex(protectedFrame(2, 0, 0, c2s, "hello, server".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(vector.get("s2c.2.app_data"),
                HEX.formatHex(protectedFrame(2, 0, 0, s2c, "hello, client".getBytes(StandardCharsets.US_ASCII))));
        assertEquals(vector.get("c2s.4.close"), HEX.formatHex(protectedFrame(4, 0, 1, c2s, u16(0x0000))));
    }

    /** Bouncy Castle's low-level ML-DSA-65 signer: pure mode, empty context, with {@code rnd} as its one draw. */
    private static byte[] bouncyCastleMlDsa65(PrivateKey key, byte[] message, byte[] rnd) throws Exception {
        // The PKCS#8 key holds the 32-byte seed (keytool's form, also the key store's); BC expands it the same way.
        org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
        MLDSAPrivateKeyParameters priv = (MLDSAPrivateKeyParameters)
                org.bouncycastle.crypto.util.PrivateKeyFactory.createKey(info);
        assertEquals(MLDSAParameters.ml_dsa_65, priv.getParameters());
        MLDSASigner signer = new MLDSASigner();
        ExactDraws draws = new ExactDraws(rnd);
        signer.init(true, new ParametersWithRandom(priv, draws));
        signer.update(message, 0, message.length);
        byte[] sig = signer.generateSignature();
        assertTrue(draws.exhausted());
        return sig;
    }

    @Test
    void hedgingMakesTheSignatureDependOnTheDrawnBytes() throws Exception {
        KeyStore ks = ExampleHandshakeVectorTest.loadKeyStore(new java.io.ByteArrayInputStream(
                ExampleHandshakeVectorTest.resource(ExampleHandshakeVectorTest.KEYSTORE)));
        PrivateKey key = (PrivateKey) ks.getKey("server", ExampleHandshakeVectorTest.PASSWORD);
        byte[] m = "QSP v1 server CertificateVerify\0".getBytes(StandardCharsets.US_ASCII);
        byte[] a = SignatureScheme.ML_DSA_65.sign(key, m, new ExactDraws(new byte[32]));
        byte[] b = SignatureScheme.ML_DSA_65.sign(key, m, new ExactDraws(new byte[32]));
        byte[] rnd = new byte[32];
        rnd[0] = 1;
        byte[] c = SignatureScheme.ML_DSA_65.sign(key, m, new ExactDraws(rnd));
        assertArrayEquals(a, b, "same rnd, same signature");
        assertNotEquals(HEX.formatHex(a), HEX.formatHex(c), "another rnd, another signature (hedged, not deterministic)");
    }

    @Test
    void slhDsaIsPureWithAnEmptyContextAndOneDrawOfNBytes() throws Exception {
        KeyPair kp = TestPki.keyPair("SLH-DSA-SHA2-128F", new SeededRandom("slh-dsa-mode"));
        byte[] m = "QSP v1 client CertificateVerify\0".getBytes(StandardCharsets.US_ASCII);
        byte[] optRand = new Stream("slh-dsa-mode:opt_rand").take(16); // n = 16 for the SHA2-128 sets
        ExactDraws draws = new ExactDraws(optRand);
        byte[] viaJca = SignatureScheme.SLH_DSA_SHA2_128F.sign(kp.getPrivate(), m, draws);
        assertTrue(draws.exhausted());
        // FIPS 205 Algorithm 22 (pure) with ctx = "" and opt_rand as drawn, through the low-level signer.
        org.bouncycastle.crypto.params.SLHDSAPrivateKeyParameters priv = (org.bouncycastle.crypto.params.SLHDSAPrivateKeyParameters)
                org.bouncycastle.crypto.util.PrivateKeyFactory.createKey(kp.getPrivate().getEncoded());
        org.bouncycastle.crypto.signers.SLHDSASigner signer = new org.bouncycastle.crypto.signers.SLHDSASigner();
        ExactDraws again = new ExactDraws(optRand);
        signer.init(true, new ParametersWithRandom(priv, again));
        assertArrayEquals(viaJca, signer.generateSignature(m));
        assertTrue(again.exhausted());
    }
}
