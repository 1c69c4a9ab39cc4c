package dev.qsp.provider.kdf;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.ProviderException;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * HKDF-SHA384 (RFC 5869) and QSP's ExpandLabel (SPEC.md §3) over a reused {@code HmacSHA384} {@link Mac}, one
 * borrowed from a shared pool of scrubbed ones for each derivation ({@link #scrub()} gives it back).
 *
 * <p>Why a {@code Mac} and not the JDK's {@code KDF "HKDF-SHA384"}: the schedule only makes short (48-byte)
 * derivations, and the rekey path makes thousands per second. Measured on the project machine (JDK 25.0.3,
 * one extract + one 48-byte expand, 100k iterations after warm-up): about 1.4 µs with a reused {@code Mac}
 * versus 1.9-4.1 µs through {@code KDF} (which allocates parameter specs, {@code SecretKeySpec}s and a fresh
 * {@code Mac} per call). The output is identical; {@code HkdfWycheproofTest} checks this class against the
 * Wycheproof HKDF-SHA384 vectors.
 *
 * <p>Not thread-safe: one instance belongs to one {@link QspKdfSpi}, and a JCA {@code KDF} object is used by
 * one thread at a time (see "Concurrent Access" in {@link javax.crypto.KDF}).
 *
 * <p>Secret handling: keys are handed to the {@code Mac} through {@link BorrowedKey}, which gives SunJCE a copy
 * that SunJCE erases after keying; the caller erases its own arrays. {@link #scrub()} re-keys the {@code Mac} with
 * a constant so that the HMAC pad state of the last key does not outlive a derivation.
 */
final class Hkdf {
    /** SHA-384 output length, {@code Hash.length} in SPEC.md §3. */
    static final int HASH_LEN = 48;
    /** RFC 5869 §2.3: L &lt;= 255 * HashLen. */
    static final int MAX_EXPAND_LEN = 255 * HASH_LEN;

    private static final byte[] LABEL_PREFIX = "qsp1 ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZERO_KEY = new byte[HASH_LEN];

    /** The Mac of the derivation in progress, borrowed from {@link #POOL}; null between derivations. */
    private Mac mac;

    Hkdf() {
    }

    /**
     * Scrubbed {@code HmacSHA384} objects shared by every {@code Hkdf} (one per QSP-KDF, so one per connection):
     * a derivation borrows one ({@link #mac()}) and {@link #scrub()} keys it with the constant zero key and gives
     * it back. Outside a derivation a Mac holds no secret-derived state either way; sharing them means an
     * established connection does not hold a Mac with its SHA-384 state and HMAC pads (about 800 bytes) between
     * rekeys (heap per connection, SPEC.md §4.15), for a queue operation per derivation. At most
     * {@link #POOL_LIMIT} are kept; more concurrent derivations make (and then drop) their own.
     */
    private static final ConcurrentLinkedQueue<Mac> POOL = new ConcurrentLinkedQueue<>();
    private static final int POOL_LIMIT = 16;
    private static final AtomicInteger POOLED = new AtomicInteger();

    /**
     * The provider the default selection chose for the first {@code Mac}: later ones come from it directly,
     * without the provider-list walk and the delayed-selection state a {@code Mac} created without a provider
     * carries until its first {@code init} (same implementation).
     */
    private static volatile Provider macProvider;

    private Mac mac() {
        Mac m = mac;
        if (m == null) {
            m = POOL.poll();
            if (m != null) {
                POOLED.decrementAndGet();
            } else {
                m = newMac();
            }
            mac = m;
        }
        return m;
    }

    private static Mac newMac() {
        try {
            Provider p = macProvider;
            Mac m;
            if (p != null) {
                m = Mac.getInstance("HmacSHA384", p);
            } else {
                m = Mac.getInstance("HmacSHA384");
                macProvider = m.getProvider(); // getProvider() completes the default selection
            }
            m.init(new BorrowedKey(ZERO_KEY)); // every Mac outside a derivation is in the scrubbed state
            return m;
        } catch (NoSuchAlgorithmException e) {
            throw new ProviderException("HmacSHA384 is not available in this JDK", e);
        } catch (InvalidKeyException e) {
            throw new ProviderException("internal error: HmacSHA384 refused a raw key", e);
        }
    }

    /**
     * HKDF-Extract(salt, IKM) = HMAC-SHA384(salt, IKM). An empty salt means {@code zeros(48)} (RFC 5869 §2.2).
     *
     * @return the 48-byte PRK; the caller owns (and erases) it
     */
    byte[] extract(byte[] salt, byte[] ikm) {
        key(salt.length == 0 ? ZERO_KEY : salt);
        return SecretArrays.track(mac().doFinal(ikm));
    }

    /**
     * HKDF-Expand(PRK, info, L) (RFC 5869 §2.3).
     *
     * @throws IllegalArgumentException if {@code length} is outside 1..255*48 or the PRK is shorter than 48 bytes
     */
    byte[] expand(byte[] prk, byte[] info, int length) {
        if (length < 1 || length > MAX_EXPAND_LEN) {
            throw new IllegalArgumentException(
                    "HKDF-Expand length " + length + " is out of range 1.." + MAX_EXPAND_LEN);
        }
        if (prk.length < HASH_LEN) {
            throw new IllegalArgumentException("HKDF-Expand PRK is " + prk.length + " bytes, at least "
                    + HASH_LEN + " required (RFC 5869 §2.3)");
        }
        key(prk);
        return expandKeyed(info, length);
    }

    /**
     * HKDF-Expand under the PRK of the previous {@link #expand} call, without keying the {@code Mac} again
     * ({@code Mac.doFinal} leaves it keyed: JCA contract). Used for the two traffic keys of one epoch secret.
     */
    byte[] expandAgain(byte[] info, int length) {
        if (length < 1 || length > MAX_EXPAND_LEN) {
            throw new IllegalArgumentException(
                    "HKDF-Expand length " + length + " is out of range 1.." + MAX_EXPAND_LEN);
        }
        return expandKeyed(info, length);
    }

    private byte[] expandKeyed(byte[] info, int length) {
        Mac mac = mac();
        byte[] out = SecretArrays.allocate(length);
        byte[] t = SecretArrays.allocate(HASH_LEN);
        try {
            int done = 0;
            for (int i = 1; done < length; i++) {
                if (i > 1) {
                    mac.update(t);
                }
                mac.update(info);
                mac.update((byte) i);
                mac.doFinal(t, 0);
                int n = Math.min(HASH_LEN, length - done);
                System.arraycopy(t, 0, out, done, n);
                done += n;
            }
            return out;
        } catch (javax.crypto.ShortBufferException e) {
            throw new ProviderException("internal error", e);
        } finally {
            Arrays.fill(t, (byte) 0);
        }
    }

    /**
     * ExpandLabel(Secret, Label, Context, Length) =
     * HKDF-Expand(Secret, u16(Length) ‖ lp8("qsp1 " ‖ Label) ‖ lp8(Context), Length) (SPEC.md §3).
     *
     * @param label the ASCII label without the "qsp1 " prefix
     */
    byte[] expandLabel(byte[] secret, byte[] label, byte[] context, int length) {
        return expand(secret, hkdfLabel(label, context, length), length);
    }

    /** ExpandLabel under the secret of the previous expansion (see {@link #expandAgain}). */
    byte[] expandLabelAgain(byte[] label, byte[] context, int length) {
        return expandAgain(hkdfLabel(label, context, length), length);
    }

    /** The {@code info} of ExpandLabel: {@code u16(Length) ‖ lp8("qsp1 " ‖ Label) ‖ lp8(Context)}. */
    static byte[] hkdfLabel(byte[] label, byte[] context, int length) {
        int fullLabel = LABEL_PREFIX.length + label.length;
        if (fullLabel > 255 || context.length > 255 || length > 0xFFFF) {
            throw new IllegalArgumentException("ExpandLabel label " + fullLabel + " / context " + context.length
                    + " bytes / length " + length + " do not fit lp8 / lp8 / u16");
        }
        byte[] info = new byte[2 + 1 + fullLabel + 1 + context.length];
        int p = 0;
        info[p++] = (byte) (length >>> 8);
        info[p++] = (byte) length;
        info[p++] = (byte) fullLabel;
        System.arraycopy(LABEL_PREFIX, 0, info, p, LABEL_PREFIX.length);
        p += LABEL_PREFIX.length;
        System.arraycopy(label, 0, info, p, label.length);
        p += label.length;
        info[p++] = (byte) context.length;
        System.arraycopy(context, 0, info, p, context.length);
        return info;
    }

    /**
     * Re-keys the {@code Mac} with a constant so that no secret-derived HMAC state outlives a derivation, and
     * returns it to the shared pool.
     */
    void scrub() {
        key(ZERO_KEY);
        Mac m = mac;
        mac = null;
        if (POOLED.incrementAndGet() <= POOL_LIMIT) {
            POOL.offer(m);
        } else {
            POOLED.decrementAndGet();
        }
    }

    private void key(byte[] keyBytes) {
        try {
            mac().init(new BorrowedKey(keyBytes));
        } catch (InvalidKeyException e) {
            throw new ProviderException("internal error: HmacSHA384 refused a raw key", e);
        }
    }

    /**
     * A raw HMAC key over an array the caller keeps (and erases); unlike {@code SecretKeySpec} it keeps no copy
     * of its own. {@link #getEncoded()} returns a copy, which SunJCE's {@code HmacCore} zeroes after keying
     * ({@code SecretErasureTest} checks that). Package-private so that tests can check its face.
     */
    static final class BorrowedKey implements SecretKey {
        private static final long serialVersionUID = 1L;
        private final transient byte[] bytes;

        BorrowedKey(byte[] bytes) { this.bytes = bytes; }

        @Override public String getAlgorithm() { return "HmacSHA384"; }

        @Override public String getFormat() { return "RAW"; }

        @Override public byte[] getEncoded() { return SecretArrays.copy(bytes); }

        @Override public String toString() { return "BorrowedKey[" + bytes.length + " bytes]"; }
    }
}
