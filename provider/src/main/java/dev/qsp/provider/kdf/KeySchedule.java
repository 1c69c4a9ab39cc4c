package dev.qsp.provider.kdf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The QSP key schedule of SPEC.md §3 as pure functions over byte arrays. {@link QspKdfSpi} validates the
 * parameter specs and calls these; tests call them directly to check intermediate values (S_kem, S_qkd, MS).
 *
 * <p>Every method returns a fresh array owned by the caller and erases every intermediate it made. Inputs are
 * assumed valid (lengths checked by the SPI); absent optional inputs are passed as empty arrays.
 * Not thread-safe (it shares one {@link Hkdf}).
 */
final class KeySchedule {
    static final int HASH_LEN = Hkdf.HASH_LEN;
    /** Largest input that {@code lp16} can frame. */
    static final int MAX_INPUT_LEN = 0xFFFF;

    // Labels of SPEC.md §3, without the "qsp1 " prefix that ExpandLabel adds.
    static final byte[] DERIVED_QKD = ascii("derived qkd");
    static final byte[] DERIVED_PSK = ascii("derived psk");
    static final byte[] C_FINISHED = ascii("c finished");
    static final byte[] S_FINISHED = ascii("s finished");
    static final byte[] DERIVED = ascii("derived");
    static final byte[] EPOCH_0 = ascii("epoch 0");
    static final byte[] C2S_KEY = ascii("c2s key");
    static final byte[] S2C_KEY = ascii("s2c key");
    static final byte[] NEXT_EPOCH = ascii("next epoch");

    private static final byte[] EMPTY = new byte[0];

    private final Hkdf hkdf;

    KeySchedule(Hkdf hkdf) {
        this.hkdf = hkdf;
    }

    /** Stage 1, first link: {@code S_kem = HKDF-Extract(zeros(48), lp16(kem_ss))}. */
    byte[] kemStage(byte[] kemSecret) {
        byte[] ikm = lp16(kemSecret);
        try {
            return hkdf.extract(new byte[HASH_LEN], ikm);
        } finally {
            Arrays.fill(ikm, (byte) 0);
        }
    }

    /** Stage 1, second link: {@code S_qkd = HKDF-Extract(ExpandLabel(S_kem, "derived qkd", "", 48), lp16(qkd_key))}. */
    byte[] qkdStage(byte[] sKem, byte[] qkdKey) {
        return chainLink(sKem, DERIVED_QKD, qkdKey);
    }

    /** Stage 1, third link: {@code HS = HKDF-Extract(ExpandLabel(S_qkd, "derived psk", "", 48), lp16(psk))}. */
    byte[] pskStage(byte[] sQkd, byte[] psk) {
        return chainLink(sQkd, DERIVED_PSK, psk);
    }

    /** Stage 1: the handshake secret HS from the hybrid inputs (empty array = absent). */
    byte[] handshakeSecret(byte[] kemSecret, byte[] qkdKey, byte[] psk) {
        byte[] sKem = null;
        byte[] sQkd = null;
        try {
            sKem = kemStage(kemSecret);
            sQkd = qkdStage(sKem, qkdKey);
            return pskStage(sQkd, psk);
        } finally {
            erase(sKem);
            erase(sQkd);
        }
    }

    /** Stage 2: {@code ExpandLabel(HS, "c finished" | "s finished", "", 48)}. */
    byte[] finishedKey(byte[] hs, Direction sender) {
        byte[] label = sender == Direction.CLIENT_TO_SERVER ? C_FINISHED : S_FINISHED;
        return hkdf.expandLabel(hs, label, EMPTY, HASH_LEN);
    }

    /** Stage 3, first half: {@code MS = HKDF-Extract(ExpandLabel(HS, "derived", "", 48), zeros(48))}. */
    byte[] masterSecret(byte[] hs) {
        byte[] salt = hkdf.expandLabel(hs, DERIVED, EMPTY, HASH_LEN);
        try {
            return hkdf.extract(salt, new byte[HASH_LEN]);
        } finally {
            Arrays.fill(salt, (byte) 0);
        }
    }

    /** Stage 3: {@code E_0 = ExpandLabel(MS, "epoch 0", TH_handshake, 48)}. */
    byte[] epochZero(byte[] hs, byte[] handshakeHash) {
        byte[] ms = masterSecret(hs);
        try {
            return hkdf.expandLabel(ms, EPOCH_0, handshakeHash, HASH_LEN);
        } finally {
            Arrays.fill(ms, (byte) 0);
        }
    }

    /** Stage 4: {@code ExpandLabel(E_e, "c2s key" | "s2c key", u32(e), key_len)}. */
    byte[] trafficKey(byte[] epochSecret, int epoch, Direction direction, int keyLength) {
        byte[] label = direction == Direction.CLIENT_TO_SERVER ? C2S_KEY : S2C_KEY;
        return hkdf.expandLabel(epochSecret, label, u32(epoch), keyLength);
    }

    /**
     * Stage 5: {@code E_{e+1} = HKDF-Extract(ExpandLabel(E_e, "next epoch", u32(e+1) ‖ TH_rekey, 48),
     * lp16(fresh_kem_ss) ‖ lp16(fresh_qkd_key))}; both fresh inputs empty for a ratchet rekey.
     */
    byte[] nextEpoch(byte[] epochSecret, int nextEpoch, byte[] rekeyHash, byte[] freshKem, byte[] freshQkd) {
        byte[] context = concat(u32(nextEpoch), rekeyHash);
        byte[] salt = null;
        byte[] ikm = null;
        try {
            salt = hkdf.expandLabel(epochSecret, NEXT_EPOCH, context, HASH_LEN);
            ikm = concatErasing(lp16(freshKem), lp16(freshQkd));
            return hkdf.extract(salt, ikm);
        } finally {
            erase(salt);
            erase(ikm);
        }
    }

    /**
     * Stage 5 then stage 4 of the new epoch: {@code E_{e+1} ‖ key(e+1, c2s) ‖ key(e+1, s2c)}, the same bytes as
     * {@link #nextEpoch} and two {@link #trafficKey} calls; the HMAC is keyed with {@code E_{e+1}} once for both keys.
     */
    byte[] nextEpochKeys(byte[] epochSecret, int nextEpoch, byte[] rekeyHash, byte[] freshKem, byte[] freshQkd,
                         int keyLength) {
        byte[] next = nextEpoch(epochSecret, nextEpoch, rekeyHash, freshKem, freshQkd);
        byte[] c2s = null;
        byte[] s2c = null;
        try {
            byte[] epoch = u32(nextEpoch);
            c2s = hkdf.expandLabel(next, C2S_KEY, epoch, keyLength);
            s2c = hkdf.expandLabelAgain(S2C_KEY, epoch, keyLength);
            byte[] out = SecretArrays.track(Arrays.copyOf(next, HASH_LEN + 2 * keyLength));
            System.arraycopy(c2s, 0, out, HASH_LEN, keyLength);
            System.arraycopy(s2c, 0, out, HASH_LEN + keyLength, keyLength);
            return out;
        } finally {
            erase(next);
            erase(c2s);
            erase(s2c);
        }
    }

    /** Removes secret-derived state from the shared {@code Mac}; the SPI calls it after each derivation. */
    void scrub() {
        hkdf.scrub();
    }

    private byte[] chainLink(byte[] previous, byte[] derivedLabel, byte[] input) {
        byte[] salt = null;
        byte[] ikm = null;
        try {
            salt = hkdf.expandLabel(previous, derivedLabel, EMPTY, HASH_LEN);
            ikm = lp16(input);
            return hkdf.extract(salt, ikm);
        } finally {
            erase(salt);
            erase(ikm);
        }
    }

    /** {@code lp16(x) = u16(len(x)) ‖ x}. */
    static byte[] lp16(byte[] x) {
        if (x.length > MAX_INPUT_LEN) {
            throw new IllegalArgumentException("lp16 input is " + x.length + " bytes, at most " + MAX_INPUT_LEN);
        }
        byte[] out = SecretArrays.allocate(2 + x.length);
        out[0] = (byte) (x.length >>> 8);
        out[1] = (byte) x.length;
        System.arraycopy(x, 0, out, 2, x.length);
        return out;
    }

    /** {@code u32(x)}, big-endian, x read as unsigned. */
    static byte[] u32(int x) {
        return new byte[] {(byte) (x >>> 24), (byte) (x >>> 16), (byte) (x >>> 8), (byte) x};
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Concatenates two secret-bearing arrays and erases both. */
    private static byte[] concatErasing(byte[] a, byte[] b) {
        try {
            return SecretArrays.track(concat(a, b));
        } finally {
            Arrays.fill(a, (byte) 0);
            Arrays.fill(b, (byte) 0);
        }
    }

    static void erase(byte[] b) {
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
