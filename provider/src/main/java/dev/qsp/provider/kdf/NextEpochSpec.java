package dev.qsp.provider.kdf;

import java.security.spec.AlgorithmParameterSpec;
import java.util.Objects;
import javax.crypto.SecretKey;

/**
 * Stage 5 of the key schedule: the per-epoch ratchet from epoch {@code nextEpoch - 1} to {@code nextEpoch}
 * (SPEC.md, "Key schedule", stage 5). A ratchet rekey passes no fresh secrets (forward secrecy only); a fresh
 * rekey passes the new hybrid KEM secret and, where used, a new QKD key (post-compromise security).
 * Derive with {@code deriveKey("QSP-Secret", spec)}.
 *
 * <p>Empty arrays count as absent. Arrays are copied in and out; {@link #toString()} shows no secret.
 *
 * @param epochSecret         the secret of the current epoch
 * @param nextEpoch           the epoch being entered (current + 1), an unsigned 32-bit number; 0 is refused
 *                            (epoch 0 comes only from {@link EpochZeroSpec}, and 0 here would mean a wrap)
 * @param rekeyTranscriptHash SHA-384 over the REKEY_INIT and REKEY_ACK bodies (48 bytes)
 * @param freshKemSecret      the new KEM shared secret, or {@code null} for a ratchet rekey
 * @param freshQkdKey         the new QKD key, or {@code null}; only together with a fresh KEM secret
 */
public record NextEpochSpec(SecretKey epochSecret, int nextEpoch, byte[] rekeyTranscriptHash,
                            byte[] freshKemSecret, byte[] freshQkdKey) implements AlgorithmParameterSpec {
    /** Checks the epoch secret and the transcript hash and copies every array. */
    public NextEpochSpec {
        Objects.requireNonNull(epochSecret, "epochSecret");
        rekeyTranscriptHash = Objects.requireNonNull(rekeyTranscriptHash, "rekeyTranscriptHash").clone();
        freshKemSecret = SecretArrays.copy(freshKemSecret);
        freshQkdKey = SecretArrays.copy(freshQkdKey);
    }

    /**
     * {@return a ratchet (HKDF-only) step}
     *
     * @param epochSecret         the secret of the current epoch
     * @param nextEpoch           the epoch being entered (current + 1)
     * @param rekeyTranscriptHash SHA-384 over the REKEY_INIT and REKEY_ACK bodies (48 bytes)
     */
    public static NextEpochSpec ratchet(SecretKey epochSecret, int nextEpoch, byte[] rekeyTranscriptHash) {
        return new NextEpochSpec(epochSecret, nextEpoch, rekeyTranscriptHash, null, null);
    }

    /** {@return a copy of the rekey transcript hash} */
    @Override
    public byte[] rekeyTranscriptHash() { return rekeyTranscriptHash.clone(); }

    /** {@return a copy of the fresh KEM secret, or {@code null} for a ratchet} */
    @Override
    public byte[] freshKemSecret() { return SecretArrays.copy(freshKemSecret); }

    /** {@return a copy of the fresh QKD key, or {@code null}} */
    @Override
    public byte[] freshQkdKey() { return SecretArrays.copy(freshQkdKey); }

    /** Overwrites this spec's copies of the fresh secrets; call it once the derivation is done. */
    public void clear() {
        if (freshKemSecret != null) java.util.Arrays.fill(freshKemSecret, (byte) 0);
        if (freshQkdKey != null) java.util.Arrays.fill(freshQkdKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "NextEpochSpec[nextEpoch=" + Integer.toUnsignedString(nextEpoch)
                + ", fresh=" + (freshKemSecret != null) + ", qkd=" + (freshQkdKey != null) + "]";
    }
}
