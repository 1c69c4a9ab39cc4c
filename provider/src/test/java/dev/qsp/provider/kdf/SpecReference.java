package dev.qsp.provider.kdf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent, deliberately plain rendering of SPEC.md §3 with {@code Mac.getInstance("HmacSHA384")}, written
 * from the SPEC text and sharing no code with {@link Hkdf} / {@link KeySchedule}. Tests compare the SPI with it,
 * and {@link KeyScheduleVectorGenerator} uses it to produce the committed vectors, so a mismatch between SPEC
 * text and code shows up as a failing test. Not for production: it allocates freely and erases nothing.
 */
final class SpecReference {
    private SpecReference() {}

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA384");
            mac.init(new SecretKeySpec(key, "HmacSHA384"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** RFC 5869 §2.2 (salt is never empty here). */
    static byte[] extract(byte[] salt, byte[] ikm) {
        return hmac(salt, ikm);
    }

    /** RFC 5869 §2.3, written out with T(0) = empty. */
    static byte[] expand(byte[] prk, byte[] info, int length) {
        ByteArrayOutputStream okm = new ByteArrayOutputStream();
        byte[] t = new byte[0];
        for (int i = 1; okm.size() < length; i++) {
            t = hmac(prk, cat(t, info, new byte[] {(byte) i}));
            okm.writeBytes(t);
        }
        byte[] all = okm.toByteArray();
        byte[] out = new byte[length];
        System.arraycopy(all, 0, out, 0, length);
        return out;
    }

    /** ExpandLabel(Secret, Label, Context, Length) = HKDF-Expand(Secret, u16(Length) ‖ lp8("qsp1 " ‖ Label) ‖ lp8(Context), Length). */
    static byte[] expandLabel(byte[] secret, String label, byte[] context, int length) {
        byte[] fullLabel = ("qsp1 " + label).getBytes(StandardCharsets.US_ASCII);
        byte[] info = cat(new byte[] {(byte) (length >> 8), (byte) length},
                new byte[] {(byte) fullLabel.length}, fullLabel,
                new byte[] {(byte) context.length}, context);
        return expand(secret, info, length);
    }

    static byte[] lp16(byte[] x) {
        return cat(new byte[] {(byte) (x.length >> 8), (byte) x.length}, x);
    }

    static byte[] u32(long x) {
        return new byte[] {(byte) (x >> 24), (byte) (x >> 16), (byte) (x >> 8), (byte) x};
    }

    static byte[] orEmpty(byte[] x) {
        return x == null ? new byte[0] : x;
    }

    // Stage 1
    static byte[] sKem(byte[] kemSs) {
        return extract(new byte[48], lp16(kemSs));
    }

    static byte[] sQkd(byte[] sKem, byte[] qkdKey) {
        return extract(expandLabel(sKem, "derived qkd", new byte[0], 48), lp16(orEmpty(qkdKey)));
    }

    static byte[] hs(byte[] sQkd, byte[] psk) {
        return extract(expandLabel(sQkd, "derived psk", new byte[0], 48), lp16(orEmpty(psk)));
    }

    // Stage 2
    static byte[] finishedKey(byte[] hs, boolean client) {
        return expandLabel(hs, client ? "c finished" : "s finished", new byte[0], 48);
    }

    // Stage 3
    static byte[] ms(byte[] hs) {
        return extract(expandLabel(hs, "derived", new byte[0], 48), new byte[48]);
    }

    static byte[] e0(byte[] ms, byte[] thHandshake) {
        return expandLabel(ms, "epoch 0", thHandshake, 48);
    }

    // Stage 4
    static byte[] trafficKey(byte[] epochSecret, long epoch, boolean c2s, int keyLen) {
        return expandLabel(epochSecret, c2s ? "c2s key" : "s2c key", u32(epoch), keyLen);
    }

    // Stage 5
    static byte[] nextEpoch(byte[] epochSecret, long nextEpoch, byte[] thRekey, byte[] freshKem, byte[] freshQkd) {
        byte[] salt = expandLabel(epochSecret, "next epoch", cat(u32(nextEpoch), thRekey), 48);
        return extract(salt, cat(lp16(orEmpty(freshKem)), lp16(orEmpty(freshQkd))));
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
