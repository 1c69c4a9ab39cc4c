package dev.qsp.provider.kdf;

import java.security.spec.AlgorithmParameterSpec;
import java.util.Objects;
import javax.crypto.SecretKey;

/**
 * Stage 2 of the key schedule: the key with which the sender of a Finished message MACs the transcript
 * (SPEC.md, "Key schedule", stage 2). {@code sender} is the direction the Finished message travels:
 * {@link Direction#CLIENT_TO_SERVER} for the client's Finished. Derive with {@code deriveKey("QSP-Secret", spec)}.
 *
 * @param handshakeSecret the stage-1 output (48 bytes, not destroyed)
 * @param sender          the direction the Finished message travels
 */
public record FinishedKeySpec(SecretKey handshakeSecret, Direction sender) implements AlgorithmParameterSpec {
    /** Checks that neither component is {@code null}. */
    public FinishedKeySpec {
        Objects.requireNonNull(handshakeSecret, "handshakeSecret");
        Objects.requireNonNull(sender, "sender");
    }

    @Override
    public String toString() { return "FinishedKeySpec[" + sender + "]"; }
}
