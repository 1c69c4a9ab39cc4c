package dev.qsp.provider.kdf;

import static dev.qsp.provider.kdf.KdfTestSupport.STAGE;
import static dev.qsp.provider.kdf.KdfTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import javax.crypto.KDF;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

/**
 * The SPI against {@link SpecReference}, plain {@code Mac} code written from the SPEC.md §3 text, on seeded random
 * inputs of varied lengths (including inputs longer than 255 bytes, so the u16 length prefix is exercised, and
 * epoch numbers with the top bit set).
 */
class SpecReferenceCrossCheckTest {
    private static final int ROUNDS = 40;

    @Test
    void everyStageMatchesTheSpecText() throws Exception {
        Random rnd = new Random(20261126L);
        KDF kdf = KdfTestSupport.kdf();
        for (int round = 0; round < ROUNDS; round++) {
            String r = "round " + round;
            byte[] kem = bytes(rnd, 1 + rnd.nextInt(300));
            byte[] qkd = optional(rnd);
            byte[] psk = optional(rnd);
            byte[] th = bytes(rnd, 48);

            byte[] refHs = SpecReference.hs(SpecReference.sQkd(SpecReference.sKem(kem), qkd), psk);
            SecretKey hs = kdf.deriveKey(STAGE, HybridExtractSpec.of(kem, qkd, psk));
            assertEquals(hex(refHs), hex(hs.getEncoded()), r + " HS");

            assertEquals(hex(SpecReference.finishedKey(refHs, true)),
                    hex(kdf.deriveData(new FinishedKeySpec(hs, Direction.CLIENT_TO_SERVER))), r + " c finished");
            assertEquals(hex(SpecReference.finishedKey(refHs, false)),
                    hex(kdf.deriveData(new FinishedKeySpec(hs, Direction.SERVER_TO_CLIENT))), r + " s finished");

            byte[] refE0 = SpecReference.e0(SpecReference.ms(refHs), th);
            SecretKey e0 = kdf.deriveKey(STAGE, new EpochZeroSpec(hs, th));
            assertEquals(hex(refE0), hex(e0.getEncoded()), r + " E_0");

            int epoch = rnd.nextInt();
            int keyLength = 16 + rnd.nextInt(49);
            for (Direction d : Direction.values()) {
                assertEquals(
                        hex(SpecReference.trafficKey(refE0, Integer.toUnsignedLong(epoch),
                                d == Direction.CLIENT_TO_SERVER, keyLength)),
                        hex(kdf.deriveData(new TrafficKeySpec(e0, epoch, d, keyLength))), r + " key " + d);
            }

            int next = epoch == 0 ? 1 : epoch;
            byte[] thRekey = bytes(rnd, 48);
            byte[] freshKem = rnd.nextBoolean() ? null : bytes(rnd, 1 + rnd.nextInt(300));
            byte[] freshQkd = freshKem == null ? null : optional(rnd);
            assertEquals(
                    hex(SpecReference.nextEpoch(refE0, Integer.toUnsignedLong(next), thRekey, freshKem, freshQkd)),
                    hex(kdf.deriveData(new NextEpochSpec(e0, next, thRekey, freshKem, freshQkd))), r + " next");
        }
    }

    @Test
    void largestInputsMatchTheSpecText() throws Exception {
        byte[] kem = bytes(new Random(1), KeySchedule.MAX_INPUT_LEN);
        byte[] ref = SpecReference.hs(SpecReference.sQkd(SpecReference.sKem(kem), kem), kem);
        assertEquals(hex(ref), hex(KdfTestSupport.kdf().deriveData(HybridExtractSpec.of(kem, kem, kem))));
    }

    /** SPEC.md §3: an absent input is the empty string, so null and empty give the same secret. */
    @Test
    void absentAndEmptyOptionalInputsAreTheSame() throws Exception {
        KDF kdf = KdfTestSupport.kdf();
        byte[] kem = bytes(new Random(2), 32);
        assertArrayEquals(kdf.deriveData(HybridExtractSpec.of(kem, null, null)),
                kdf.deriveData(HybridExtractSpec.of(kem, new byte[0], new byte[0])));
        SecretKey e = KdfTestSupport.stageKey(bytes(new Random(3), 48));
        byte[] th = new byte[48];
        assertArrayEquals(kdf.deriveData(NextEpochSpec.ratchet(e, 5, th)),
                kdf.deriveData(new NextEpochSpec(e, 5, th, new byte[0], new byte[0])));
    }

    /** The chain has three links and the length prefixes keep the inputs apart (SPEC.md §3, stage 1). */
    @Test
    void inputsCannotBeMovedBetweenSlots() throws Exception {
        KDF kdf = KdfTestSupport.kdf();
        byte[] a = bytes(new Random(4), 32);
        byte[] hs1 = kdf.deriveData(HybridExtractSpec.of(a, a, null));
        byte[] hs2 = kdf.deriveData(HybridExtractSpec.of(a, null, a));
        byte[] hs3 = kdf.deriveData(HybridExtractSpec.of(a, null, null));
        assertEquals(3, java.util.Set.of(hex(hs1), hex(hs2), hex(hs3)).size());
    }

    private static byte[] optional(Random rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> null;
            case 1 -> new byte[0];
            default -> bytes(rnd, 1 + rnd.nextInt(300));
        };
    }

    private static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }
}
