package dev.qsp.provider.kdf;

import static dev.qsp.provider.kdf.KdfTestSupport.STAGE;
import static dev.qsp.provider.kdf.KdfTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.crypto.KDF;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Every length limit of the key schedule at exactly its maximum (accepted, with the exact output) and one past
 * it (refused, with the exact message): HKDF-Expand's L (RFC 5869 §2.3), ExpandLabel's lp8/lp8/u16 fields and
 * lp16's input (SPEC.md §3). Expected outputs come from the JDK's own {@code HKDF-SHA384} and from
 * {@link SpecReference}, neither of which shares code with {@link Hkdf}.
 */
class KdfBoundaryTest {
    private static final byte[] INFO = "boundary info".getBytes(StandardCharsets.US_ASCII);

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed + i * 7);
        }
        return b;
    }

    private static byte[] jdkExpand(byte[] prk, byte[] info, int length) throws Exception {
        return KDF.getInstance("HKDF-SHA384").deriveData(
                HKDFParameterSpec.expandOnly(new SecretKeySpec(prk, "HKDF"), info, length));
    }

    @Test
    void expandAtOneAndAtTheMaximum() throws Exception {
        byte[] prk = pattern(48, 3);
        byte[] max = jdkExpand(prk, INFO, Hkdf.MAX_EXPAND_LEN);
        assertEquals(12240, Hkdf.MAX_EXPAND_LEN);
        Hkdf hkdf = new Hkdf();
        assertArrayEquals(max, hkdf.expand(prk, INFO, Hkdf.MAX_EXPAND_LEN));
        assertArrayEquals(max, hkdf.expandAgain(INFO, Hkdf.MAX_EXPAND_LEN));
        assertArrayEquals(Arrays.copyOf(max, 1), hkdf.expand(prk, INFO, 1));
        assertArrayEquals(Arrays.copyOf(max, 1), hkdf.expandAgain(INFO, 1));
    }

    @Test
    void expandRefusesZeroAndOnePastTheMaximum() {
        Hkdf hkdf = new Hkdf();
        byte[] prk = pattern(48, 3);
        for (int bad : new int[] {0, Hkdf.MAX_EXPAND_LEN + 1}) {
            String message = "HKDF-Expand length " + bad + " is out of range 1..12240";
            assertEquals(message, assertThrows(IllegalArgumentException.class,
                    () -> hkdf.expand(prk, INFO, bad)).getMessage());
            assertEquals(message, assertThrows(IllegalArgumentException.class,
                    () -> hkdf.expandAgain(INFO, bad)).getMessage());
        }
        assertEquals("HKDF-Expand PRK is 47 bytes, at least 48 required (RFC 5869 §2.3)", assertThrows(
                IllegalArgumentException.class, () -> hkdf.expand(new byte[47], INFO, 48)).getMessage());
    }

    @Test
    void hkdfLabelLayout() {
        assertEquals("00300c" + hex("qsp1 derived".getBytes(StandardCharsets.US_ASCII)) + "00",
                hex(Hkdf.hkdfLabel(KeySchedule.DERIVED, new byte[0], 48)));
        // u16(Length) is big-endian: both bytes matter.
        byte[] info = Hkdf.hkdfLabel(new byte[0], new byte[] {9}, 0x0102);
        assertEquals("010205" + hex("qsp1 ".getBytes(StandardCharsets.US_ASCII)) + "0109", hex(info));
    }

    @Test
    void hkdfLabelFieldsAtTheirMaximum() {
        byte[] label250 = pattern(250, 1); // "qsp1 " + 250 = 255, the lp8 maximum
        byte[] info = Hkdf.hkdfLabel(label250, new byte[0], 48);
        assertEquals(2 + 1 + 255 + 1, info.length);
        assertEquals(255, info[2] & 0xFF);
        byte[] context255 = pattern(255, 2);
        info = Hkdf.hkdfLabel(KeySchedule.DERIVED, context255, 48);
        assertEquals(255, info[2 + 1 + 12] & 0xFF);
        assertArrayEquals(context255, Arrays.copyOfRange(info, 2 + 1 + 12 + 1, info.length));
        info = Hkdf.hkdfLabel(KeySchedule.DERIVED, new byte[0], 0xFFFF);
        assertEquals("ffff", hex(Arrays.copyOf(info, 2)));
    }

    @Test
    void hkdfLabelFieldsOnePastTheirMaximum() {
        assertEquals("ExpandLabel label 256 / context 0 bytes / length 48 do not fit lp8 / lp8 / u16",
                assertThrows(IllegalArgumentException.class,
                        () -> Hkdf.hkdfLabel(new byte[251], new byte[0], 48)).getMessage());
        assertEquals("ExpandLabel label 12 / context 256 bytes / length 48 do not fit lp8 / lp8 / u16",
                assertThrows(IllegalArgumentException.class,
                        () -> Hkdf.hkdfLabel(KeySchedule.DERIVED, new byte[256], 48)).getMessage());
        assertEquals("ExpandLabel label 12 / context 0 bytes / length 65536 do not fit lp8 / lp8 / u16",
                assertThrows(IllegalArgumentException.class,
                        () -> Hkdf.hkdfLabel(KeySchedule.DERIVED, new byte[0], 0x10000)).getMessage());
    }

    @Test
    void lp16AtTheMaximumAndOnePast() {
        byte[] x = pattern(KeySchedule.MAX_INPUT_LEN, 5);
        byte[] framed = KeySchedule.lp16(x);
        assertEquals(65537, framed.length);
        assertEquals("ffff", hex(Arrays.copyOf(framed, 2)));
        assertArrayEquals(x, Arrays.copyOfRange(framed, 2, framed.length));
        assertEquals("0102" + "00".repeat(0x102), hex(KeySchedule.lp16(new byte[0x102])));
        assertEquals("lp16 input is 65536 bytes, at most 65535", assertThrows(IllegalArgumentException.class,
                () -> KeySchedule.lp16(new byte[65536])).getMessage());
    }

    /** The SPI takes inputs of exactly 65535 bytes (lp16's maximum) and derives what SPEC §3 says. */
    @Test
    void spiAcceptsInputsOfExactlyTheLp16Maximum() throws Exception {
        byte[] kem = pattern(65535, 11);
        byte[] qkd = pattern(65535, 12);
        byte[] psk = pattern(65535, 13);
        byte[] hs = SpecReference.hs(SpecReference.sQkd(SpecReference.sKem(kem), qkd), psk);
        assertArrayEquals(hs, new QspKdfSpi(null).engineDeriveData(HybridExtractSpec.of(kem, qkd, psk)));

        byte[] e = pattern(48, 14);
        byte[] th = pattern(48, 15);
        byte[] next = SpecReference.nextEpoch(e, 7, th, kem, qkd);
        assertArrayEquals(next, new QspKdfSpi(null).engineDeriveData(
                new NextEpochSpec(KdfTestSupport.stageKey(e), 7, th, kem, qkd)));
        assertEquals(hex(next), hex(KdfTestSupport.kdf().deriveKey(STAGE,
                new NextEpochSpec(KdfTestSupport.stageKey(e), 7, th, kem, qkd)).getEncoded()));
    }
}
