package dev.qsp.provider.kdf;

import java.util.function.Consumer;

/**
 * The one place where this package allocates or copies a secret {@code byte[]} (spec accessors' copies, key
 * copies, HKDF outputs and blocks, lp16 framings, stage secrets), in the spirit of Tink's {@code SecretBytes}.
 *
 * <p>Why: SPEC.md §4.14 promises that every intermediate is erased, and only a test can show that it is. A test
 * sets {@link #recorder} (in production it is {@code null}: one volatile read per array, nothing else), runs a
 * derivation, and asserts that every array handed out meanwhile, other than the ones it was returned, is all
 * zeros ({@code SecretErasureTest}).
 */
final class SecretArrays {
    /** Test hook: sees each secret array when it is handed out; {@code null} in production. */
    static volatile Consumer<byte[]> recorder;

    private SecretArrays() {}

    /** Hands out {@code secret} (returns it), showing it to the test recorder if one is set. */
    static byte[] track(byte[] secret) {
        Consumer<byte[]> r = recorder;
        if (r != null && secret != null) {
            r.accept(secret);
        }
        return secret;
    }

    /** A copy of {@code secret}, or {@code null} for {@code null}. */
    static byte[] copy(byte[] secret) {
        return secret == null ? null : track(secret.clone());
    }

    /** A fresh zeroed array that will hold secret bytes. */
    static byte[] allocate(int length) {
        return track(new byte[length]);
    }
}
