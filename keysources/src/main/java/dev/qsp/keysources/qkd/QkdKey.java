package dev.qsp.keysources.qkd;

import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;

/** One key from a KME: its ID (UUID text, as the KME wrote it) and its bytes. Erase with {@link #destroy()}. */
public final class QkdKey implements Destroyable {
    private final String keyId;
    private final byte[] key;
    private boolean destroyed;

    QkdKey(String keyId, byte[] key) {
        this.keyId = Objects.requireNonNull(keyId);
        this.key = key;
    }

    /** {@return the key ID the KME gave the key (UUID text)} */
    public String keyId() {
        return keyId;
    }

    /** {@return the key size in bits} */
    public int sizeBits() {
        return key.length * 8;
    }

    /** {@return a copy of the key bytes; the caller erases it} */
    public synchronized byte[] copyOfKey() {
        if (destroyed) {
            throw new IllegalStateException("QKD key " + keyId + " has been destroyed");
        }
        return key.clone();
    }

    @Override
    public synchronized void destroy() {
        Arrays.fill(key, (byte) 0);
        destroyed = true;
    }

    @Override
    public synchronized boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "QkdKey[key_ID=" + keyId + ", " + sizeBits() + " bits]";
    }
}
