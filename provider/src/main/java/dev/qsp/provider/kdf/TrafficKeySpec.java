package dev.qsp.provider.kdf;

import java.security.spec.AlgorithmParameterSpec;
import java.util.Objects;
import javax.crypto.SecretKey;

/**
 * Stage 4 of the key schedule: the AEAD key for one direction of one epoch (SPEC.md, "Key schedule", stage 4).
 * Derive with {@code deriveKey(cipherKeyAlgorithm, spec)}, e.g. {@code "AES"} or {@code "ChaCha20"}.
 *
 * @param epochSecret the secret of epoch {@code epoch}
 * @param epoch       the epoch number, 0 to 2^32-1 (as an unsigned int)
 * @param direction   which direction the key protects
 * @param keyLength   the key length in bytes, 16 to 64 (32 for AES-256-GCM and ChaCha20-Poly1305); the KDF
 *                    also refuses lengths that the named cipher cannot use ("AES": 16, 24, 32; "ChaCha20": 32)
 */
public record TrafficKeySpec(SecretKey epochSecret, int epoch, Direction direction, int keyLength)
        implements AlgorithmParameterSpec {
    /** Checks the components (see the parameters above). */
    public TrafficKeySpec {
        Objects.requireNonNull(epochSecret, "epochSecret");
        Objects.requireNonNull(direction, "direction");
    }

    @Override
    public String toString() {
        return "TrafficKeySpec[epoch=" + Integer.toUnsignedString(epoch) + ", " + direction + ", " + keyLength + " bytes]";
    }
}
