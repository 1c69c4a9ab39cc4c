package dev.qsp.provider.kdf;

import java.security.spec.AlgorithmParameterSpec;
import java.util.Objects;
import javax.crypto.SecretKey;

/**
 * Stage 3 of the key schedule: from the handshake secret and the hash of the complete handshake transcript
 * (both Finished messages included) to the epoch-0 secret (SPEC.md, "Key schedule", stage 3).
 * Derive with {@code deriveKey("QSP-Secret", spec)}.
 *
 * @param handshakeSecret the stage-1 output (48 bytes, not destroyed)
 * @param transcriptHash  SHA-384 of the handshake transcript (48 bytes)
 */
public record EpochZeroSpec(SecretKey handshakeSecret, byte[] transcriptHash) implements AlgorithmParameterSpec {
    /** Checks both components and copies {@code transcriptHash}. */
    public EpochZeroSpec {
        Objects.requireNonNull(handshakeSecret, "handshakeSecret");
        transcriptHash = Objects.requireNonNull(transcriptHash, "transcriptHash").clone();
    }

    /** {@return a copy of the transcript hash} */
    @Override
    public byte[] transcriptHash() { return transcriptHash.clone(); }

    @Override
    public String toString() { return "EpochZeroSpec[transcriptHash=" + transcriptHash.length + " bytes]"; }
}
