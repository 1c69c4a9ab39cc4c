package dev.qsp.provider.kdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import javax.crypto.SecretKey;

/**
 * A caller's {@code SecretKey} that keeps every copy its {@link #getEncoded()} hands out and counts
 * {@link #destroy()} calls: the KDF must erase each copy it took and must not destroy a key it was lent.
 */
final class SpyKey implements SecretKey {
    private static final long serialVersionUID = 1L;
    private final transient byte[] bytes;
    private final String format;
    final transient List<byte[]> handedOut = new ArrayList<>();
    int destroyCalls;

    SpyKey(byte[] bytes, String format) {
        this.bytes = bytes.clone();
        this.format = format;
    }

    @Override public String getAlgorithm() { return QspSecretKey.STAGE_SECRET; }

    @Override public String getFormat() { return format; }

    @Override
    public byte[] getEncoded() {
        byte[] copy = bytes.clone();
        handedOut.add(copy);
        return copy;
    }

    @Override public void destroy() { destroyCalls++; }

    /** The KDF took at least one copy, erased every copy it took, and left the key itself alone. */
    void assertCopiesErasedAndNotDestroyed(String what) {
        assertFalse(handedOut.isEmpty(), what + ": the key was never read");
        for (byte[] c : handedOut) {
            assertEquals(0, countNonZero(c), what + ": a copy of the key was not erased");
        }
        assertEquals(0, destroyCalls, what + ": the KDF destroyed a key it does not own");
    }

    private static int countNonZero(byte[] b) {
        int n = 0;
        for (byte x : b) {
            if (x != 0) n++;
        }
        return n;
    }
}
