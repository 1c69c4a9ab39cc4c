package dev.qsp.provider.kdf;

import static dev.qsp.provider.kdf.KdfTestSupport.STAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.qsp.provider.QspProvider;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.KDF;
import javax.crypto.KDFParameters;
import javax.crypto.SecretKey;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Every bad input gets the right exception type and the exact message, both from the SPI itself and through
 * {@code javax.crypto.KDF} (which wraps the SPI's exception: the message is on the cause).
 */
class QspKdfNegativeTest {
    private static final byte[] TH = new byte[48];

    private record SomeParameters() implements KDFParameters {}

    /** Asserts the SPI's message directly and through the JCA, for deriveKey and deriveData. */
    private static void assertRejected(String alg, AlgorithmParameterSpec spec, String message) throws Exception {
        QspKdfSpi spi = new QspKdfSpi(null);
        assertEquals(message, assertThrows(InvalidAlgorithmParameterException.class,
                () -> spi.engineDeriveKey(alg, spec)).getMessage(), "SPI deriveKey");
        KDF kdf = KdfTestSupport.kdf();
        InvalidAlgorithmParameterException viaJca =
                assertThrows(InvalidAlgorithmParameterException.class, () -> kdf.deriveKey(alg, spec));
        assertEquals("The specified QSP provider does not support this input", viaJca.getMessage());
        assertInstanceOf(InvalidAlgorithmParameterException.class, viaJca.getCause());
        assertEquals(message, viaJca.getCause().getMessage(), "KDF deriveKey");
    }

    private static void assertRejected(AlgorithmParameterSpec spec, String message) throws Exception {
        assertRejected(STAGE, spec, message);
        QspKdfSpi spi = new QspKdfSpi(null);
        assertEquals(message, assertThrows(InvalidAlgorithmParameterException.class,
                () -> spi.engineDeriveData(spec)).getMessage(), "SPI deriveData");
        InvalidAlgorithmParameterException viaJca = assertThrows(InvalidAlgorithmParameterException.class,
                () -> KdfTestSupport.kdf().deriveData(spec));
        assertEquals(message, viaJca.getCause().getMessage(), "KDF deriveData");
    }

    private static SecretKey secret48() {
        return KdfTestSupport.stageKey(new byte[48]);
    }

    private static SecretKey destroyed() {
        QspSecretKey k = KdfTestSupport.stageKey(new byte[48]);
        k.destroy();
        return k;
    }

    @Test
    void kemSecretMissingOrEmpty() throws Exception {
        assertRejected(HybridExtractSpec.of(null, new byte[32], null), "HybridExtractSpec: kemSecret is missing");
        assertRejected(HybridExtractSpec.of(new byte[0], null, null), "HybridExtractSpec: kemSecret is missing");
    }

    @Test
    void hybridInputsOverLp16() throws Exception {
        byte[] big = new byte[65536];
        assertRejected(HybridExtractSpec.of(big, null, null),
                "HybridExtractSpec: kemSecret is 65536 bytes, at most 65535 (lp16)");
        assertRejected(HybridExtractSpec.of(new byte[32], big, null),
                "HybridExtractSpec: qkdKey is 65536 bytes, at most 65535 (lp16)");
        assertRejected(HybridExtractSpec.of(new byte[32], null, big),
                "HybridExtractSpec: preSharedKey is 65536 bytes, at most 65535 (lp16)");
    }

    @Test
    void stageSecretsMustBeLiveAnd48Bytes() throws Exception {
        assertRejected(new FinishedKeySpec(destroyed(), Direction.CLIENT_TO_SERVER),
                "FinishedKeySpec: handshakeSecret has been destroyed");
        assertRejected(new EpochZeroSpec(destroyed(), TH), "EpochZeroSpec: handshakeSecret has been destroyed");
        assertRejected(new TrafficKeySpec(destroyed(), 0, Direction.SERVER_TO_CLIENT, 32),
                "TrafficKeySpec: epochSecret has been destroyed");
        assertRejected(NextEpochSpec.ratchet(destroyed(), 1, TH), "NextEpochSpec: epochSecret has been destroyed");
        assertRejected(new EpochZeroSpec(new SecretKeySpec(new byte[32], STAGE), TH),
                "EpochZeroSpec: handshakeSecret must be 48 bytes, got 32");
        assertRejected(new FinishedKeySpec(new SecretKeySpec(new byte[64], STAGE), Direction.CLIENT_TO_SERVER),
                "FinishedKeySpec: handshakeSecret must be 48 bytes, got 64");
    }

    @Test
    void transcriptHashesMustBe48Bytes() throws Exception {
        assertRejected(new EpochZeroSpec(secret48(), new byte[32]),
                "EpochZeroSpec: transcriptHash must be 48 bytes (SHA-384), got 32");
        assertRejected(NextEpochSpec.ratchet(secret48(), 1, new byte[49]),
                "NextEpochSpec: rekeyTranscriptHash must be 48 bytes (SHA-384), got 49");
    }

    @Test
    void trafficKeyLength() throws Exception {
        assertRejected(new TrafficKeySpec(secret48(), 0, Direction.CLIENT_TO_SERVER, 15),
                "TrafficKeySpec: keyLength 15 is out of range 16..64");
        assertRejected(new TrafficKeySpec(secret48(), 0, Direction.CLIENT_TO_SERVER, 65),
                "TrafficKeySpec: keyLength 65 is out of range 16..64");
        assertRejected("AES", new TrafficKeySpec(secret48(), 0, Direction.CLIENT_TO_SERVER, 48),
                "TrafficKeySpec: an AES key must be 16, 24 or 32 bytes, got keyLength 48");
        assertRejected("ChaCha20", new TrafficKeySpec(secret48(), 0, Direction.CLIENT_TO_SERVER, 16),
                "TrafficKeySpec: a ChaCha20 key must be 32 bytes, got keyLength 16");
    }

    @Test
    void nextEpochRules() throws Exception {
        assertRejected(NextEpochSpec.ratchet(secret48(), 0, TH),
                "NextEpochSpec: nextEpoch is 0: epoch would wrap (epoch 0 comes only from EpochZeroSpec)");
        assertRejected(new NextEpochSpec(secret48(), 2, TH, null, new byte[32]),
                "NextEpochSpec: freshQkdKey given without freshKemSecret (a fresh rekey always includes a new "
                        + "hybrid KEM secret)");
        assertRejected(new NextEpochSpec(secret48(), 2, TH, new byte[65536], null),
                "NextEpochSpec: freshKemSecret is 65536 bytes, at most 65535 (lp16)");
        assertRejected(new NextEpochSpec(secret48(), 2, TH, new byte[32], new byte[65536]),
                "NextEpochSpec: freshQkdKey is 65536 bytes, at most 65535 (lp16)");
        // An empty fresh KEM secret counts as absent, so a QKD key beside it is still refused.
        assertRejected(new NextEpochSpec(secret48(), 2, TH, new byte[0], new byte[32]),
                "NextEpochSpec: freshQkdKey given without freshKemSecret (a fresh rekey always includes a new "
                        + "hybrid KEM secret)");
    }

    @Test
    void stageSecretsNeedARawEncoding() throws Exception {
        assertRejected(new EpochZeroSpec(new SpyKey(new byte[48], "X.509"), TH),
                "EpochZeroSpec: handshakeSecret has no RAW encoding");
        SecretKey noEncoding = new SecretKey() {
            @Override public String getAlgorithm() { return STAGE; }
            @Override public String getFormat() { return "RAW"; }
            @Override public byte[] getEncoded() { return null; }
        };
        assertRejected(new TrafficKeySpec(noEncoding, 0, Direction.CLIENT_TO_SERVER, 32),
                "TrafficKeySpec: epochSecret has no RAW encoding");
    }

    @Test
    void nextEpochKeysRules() throws Exception {
        assertRejected(new NextEpochKeysSpec(NextEpochSpec.ratchet(secret48(), 1, TH), 15),
                "NextEpochKeysSpec: keyLength 15 is out of range 16..64");
        assertRejected(new NextEpochKeysSpec(NextEpochSpec.ratchet(secret48(), 1, TH), 65),
                "NextEpochKeysSpec: keyLength 65 is out of range 16..64");
        assertRejected("AES", new NextEpochKeysSpec(NextEpochSpec.ratchet(secret48(), 1, TH), 48),
                "NextEpochKeysSpec: an AES key must be 16, 24 or 32 bytes, got keyLength 48");
        assertRejected("ChaCha20", new NextEpochKeysSpec(NextEpochSpec.ratchet(secret48(), 1, TH), 16),
                "NextEpochKeysSpec: a ChaCha20 key must be 32 bytes, got keyLength 16");
        // The step is checked exactly as a NextEpochSpec on its own.
        assertRejected(new NextEpochKeysSpec(NextEpochSpec.ratchet(destroyed(), 1, TH), 32),
                "NextEpochSpec: epochSecret has been destroyed");
        assertRejected(new NextEpochKeysSpec(NextEpochSpec.ratchet(secret48(), 0, TH), 32),
                "NextEpochSpec: nextEpoch is 0: epoch would wrap (epoch 0 comes only from EpochZeroSpec)");
        assertRejected(new NextEpochKeysSpec(new NextEpochSpec(secret48(), 2, TH, null, new byte[32]), 32),
                "NextEpochSpec: freshQkdKey given without freshKemSecret (a fresh rekey always includes a new "
                        + "hybrid KEM secret)");
    }

    @Test
    void unsupportedSpecType() throws Exception {
        AlgorithmParameterSpec hkdf = HKDFParameterSpec.ofExtract().addIKM(new byte[32]).extractOnly();
        assertRejected(hkdf, "QSP-KDF does not support javax.crypto.spec.HKDFParameterSpec$Extract; use "
                + "HybridExtractSpec, FinishedKeySpec, EpochZeroSpec, TrafficKeySpec, NextEpochSpec or NextEpochKeysSpec from "
                + "dev.qsp.provider.kdf");
        assertEquals("QSP-KDF needs a derivation spec, got null", assertThrows(
                InvalidAlgorithmParameterException.class, () -> new QspKdfSpi(null).engineDeriveData(null))
                .getMessage());
    }

    @Test
    void stageSpecsOnlyDeriveQspSecrets() throws Exception {
        assertRejected("AES", HybridExtractSpec.of(new byte[32], null, null),
                "HybridExtractSpec derives a \"QSP-Secret\" key, not \"AES\"");
        assertRejected("HmacSHA384", new FinishedKeySpec(secret48(), Direction.SERVER_TO_CLIENT),
                "FinishedKeySpec derives a \"QSP-Secret\" key, not \"HmacSHA384\"");
        assertRejected("AES", new EpochZeroSpec(secret48(), TH),
                "EpochZeroSpec derives a \"QSP-Secret\" key, not \"AES\"");
        assertRejected("AES", NextEpochSpec.ratchet(secret48(), 1, TH),
                "NextEpochSpec derives a \"QSP-Secret\" key, not \"AES\"");
        // A spec of another provider asked for as "AES" is unsupported, not a stage spec.
        assertRejected("AES", HKDFParameterSpec.ofExtract().addIKM(new byte[32]).extractOnly(),
                "QSP-KDF does not support javax.crypto.spec.HKDFParameterSpec$Extract; use HybridExtractSpec, "
                        + "FinishedKeySpec, EpochZeroSpec, TrafficKeySpec, NextEpochSpec or NextEpochKeysSpec from "
                        + "dev.qsp.provider.kdf");
        assertEquals("the algorithm for the SecretKey return value must not be empty",
                assertThrows(NoSuchAlgorithmException.class, () -> new QspKdfSpi(null)
                        .engineDeriveKey("", HybridExtractSpec.of(new byte[32], null, null))).getMessage());
    }

    @Test
    void kdfParametersAreRefused() throws Exception {
        assertEquals("QSP-KDF takes no KDFParameters, got " + SomeParameters.class.getName(),
                assertThrows(InvalidAlgorithmParameterException.class,
                        () -> KDF.getInstance("QSP-KDF", new SomeParameters(), new QspProvider())).getMessage());
        assertEquals("QSP-KDF takes no KDFParameters, got " + SomeParameters.class.getName(),
                assertThrows(InvalidAlgorithmParameterException.class,
                        () -> new QspKdfSpi(new SomeParameters())).getMessage());
        // The registration table checks the type of the getInstance parameter before casting it.
        NoSuchAlgorithmException wrongType = assertThrows(NoSuchAlgorithmException.class,
                () -> new QspProvider().getService("KDF", "QSP-KDF").newInstance("not parameters"));
        assertEquals("Cannot create KDF.QSP-KDF: QSP-KDF expects KDFParameters or null, got java.lang.String",
                wrongType.getMessage());
        KDF ok = KDF.getInstance("QSP-KDF", (KDFParameters) null, new QspProvider());
        assertNull(ok.getParameters());
    }
}
