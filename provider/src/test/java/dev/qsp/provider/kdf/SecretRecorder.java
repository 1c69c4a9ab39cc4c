package dev.qsp.provider.kdf;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * While open, records every secret array that {@link SecretArrays} hands out on the opening thread, so that a test
 * can assert that a derivation left none of them holding secret bytes (SPEC.md §4.14).
 */
final class SecretRecorder implements AutoCloseable {
    private final Thread owner = Thread.currentThread();
    private final List<byte[]> seen = Collections.synchronizedList(new ArrayList<>());

    SecretRecorder() {
        assertNull(SecretArrays.recorder, "another SecretRecorder is open");
        SecretArrays.recorder = b -> {
            if (Thread.currentThread() == owner) {
                seen.add(b);
            }
        };
    }

    /** Stops recording; the arrays seen so far stay available to the assertions. */
    @Override
    public void close() {
        SecretArrays.recorder = null;
    }

    int count() {
        return seen.size();
    }

    /**
     * Every recorded array except those in {@code kept} (compared by identity: the arrays the test was handed)
     * is all zeros, and more arrays than {@code kept} were recorded (so the check is not vacuous).
     */
    void assertErasedExcept(String what, byte[]... kept) {
        List<byte[]> all;
        synchronized (seen) {
            all = new ArrayList<>(seen);
        }
        int checked = 0;
        outer:
        for (int i = 0; i < all.size(); i++) {
            byte[] b = all.get(i);
            for (byte[] k : kept) {
                if (k == b) {
                    continue outer;
                }
            }
            checked++;
            for (byte x : b) {
                if (x != 0) {
                    fail(what + ": secret array #" + i + " (" + b.length + " bytes) of " + all.size()
                            + " was not erased");
                }
            }
        }
        assertTrue(checked > 0, what + ": no secret array was recorded");
    }
}
