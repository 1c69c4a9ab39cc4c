package dev.qsp.provider.kdf;

import java.security.spec.AlgorithmParameterSpec;
import java.util.Objects;

/**
 * Stage 5 and stage 4 in one call (SPEC.md, "Key schedule", "Using the service"): the next epoch secret
 * {@code E_{e+1}} of {@code step}, then both traffic keys of epoch {@code e+1}. The result is exactly what
 * {@link NextEpochSpec} followed by two {@link TrafficKeySpec}s give; the batch exists because a rekey needs all
 * three, and one call keys the HMAC once for both traffic keys and skips two rounds of spec validation and
 * copying (the rekey path runs thousands of times per second).
 *
 * <p>Derive with {@code deriveKey(cipherKeyAlgorithm, spec)} (e.g. {@code "AES"}, {@code "ChaCha20"}), which
 * returns a {@link QspEpochKeys}; {@code deriveData(spec)} returns {@code E_{e+1} ‖ key(c2s) ‖ key(s2c)}.
 * Errors about the step name {@code NextEpochSpec}, as they do for that spec alone.
 *
 * @param step      the ratchet step from epoch e to e+1
 * @param keyLength the traffic key length in bytes, as in {@link TrafficKeySpec}
 */
public record NextEpochKeysSpec(NextEpochSpec step, int keyLength) implements AlgorithmParameterSpec {
    /** Checks the step and the key length. */
    public NextEpochKeysSpec {
        Objects.requireNonNull(step, "step");
    }

    /** Overwrites the step's copies of the fresh secrets; call it once the derivation is done. */
    public void clear() {
        step.clear();
    }

    @Override
    public String toString() {
        return "NextEpochKeysSpec[" + step + ", " + keyLength + " bytes]";
    }
}
