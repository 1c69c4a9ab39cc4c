package dev.qsp.sockets.engine;

import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.security.auth.DestroyFailedException;

/** Erasure helpers: secrets are erased as soon as they are superseded (SPEC.md §4.14). */
final class Secrets {
    private Secrets() {}

    static void destroy(SecretKey key) {
        if (key == null || key.isDestroyed()) return;
        try {
            key.destroy();
        } catch (DestroyFailedException e) {
            // Key classes that cannot be destroyed (e.g. SecretKeySpec) are dropped; nothing more can be done.
        }
    }

    static void erase(byte[] b) {
        if (b != null) Arrays.fill(b, (byte) 0);
    }
}
