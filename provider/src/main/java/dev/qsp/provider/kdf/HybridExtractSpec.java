package dev.qsp.provider.kdf;

import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;

/**
 * Input of stage 1 of the key schedule: the extract chain over the hybrid inputs that yields the handshake
 * secret (SPEC.md, "Key schedule", stage 1). Derive with {@code deriveKey("QSP-Secret", spec)}.
 *
 * <p>The KEM shared secret is required; the QKD key and the pre-shared key are optional (absent is encoded as
 * empty, never skipped, so the chain has the same shape whichever sources were used). Arrays are copied in and
 * out; {@link #toString()} shows only lengths.
 */
public final class HybridExtractSpec implements AlgorithmParameterSpec {
    private final byte[] kemSecret;
    private final byte[] qkdKey;
    private final byte[] preSharedKey;

    private HybridExtractSpec(byte[] kemSecret, byte[] qkdKey, byte[] preSharedKey) {
        this.kemSecret = copy(kemSecret);
        this.qkdKey = copy(qkdKey);
        this.preSharedKey = copy(preSharedKey);
    }

    /**
     * The stage-1 inputs; each array is copied.
     *
     * @param kemSecret    the hybrid KEM shared secret (required; checked by the KDF, which reports it missing)
     * @param qkdKey       the QKD key, or {@code null} when no QKD key was used
     * @param preSharedKey the pre-shared key, or {@code null} when none was used
     * @return the spec holding copies of the three inputs
     */
    public static HybridExtractSpec of(byte[] kemSecret, byte[] qkdKey, byte[] preSharedKey) {
        return new HybridExtractSpec(kemSecret, qkdKey, preSharedKey);
    }

    /** {@return the KEM shared secret (a copy), or {@code null} if none was given} */
    public byte[] kemSecret() { return copy(kemSecret); }

    /** {@return the QKD key (a copy), or {@code null} if none was given} */
    public byte[] qkdKey() { return copy(qkdKey); }

    /** {@return the pre-shared key (a copy), or {@code null} if none was given} */
    public byte[] preSharedKey() { return copy(preSharedKey); }

    /** Overwrites this spec's copies of the secrets; call it once the derivation is done. */
    public void clear() {
        if (kemSecret != null) Arrays.fill(kemSecret, (byte) 0);
        if (qkdKey != null) Arrays.fill(qkdKey, (byte) 0);
        if (preSharedKey != null) Arrays.fill(preSharedKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "HybridExtractSpec[kemSecret=" + len(kemSecret) + ", qkdKey=" + len(qkdKey)
                + ", preSharedKey=" + len(preSharedKey) + "]";
    }

    private static String len(byte[] b) { return b == null ? "absent" : b.length + " bytes"; }

    static byte[] copy(byte[] b) { return SecretArrays.copy(b); }
}
