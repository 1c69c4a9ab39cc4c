package dev.qsp.sockets.engine;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The handshake transcript (SPEC.md §4.8): SHA-384 over the encodings of every handshake message in order, as
 * sent and received. {@link #current()} returns the hash so far without ending the running hash.
 */
final class Transcript {
    static final int HASH_LENGTH = 48;

    /** Null once {@link #release}d: an established connection keeps no SHA-384 state (SPEC.md §4.15). */
    private MessageDigest digest;

    Transcript() {
        digest = sha384();
    }

    static MessageDigest sha384() {
        try {
            return JcaProviders.digest("SHA-384");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-384 unavailable", e);
        }
    }

    void add(byte[] encodedMessage) { live().update(encodedMessage); }

    byte[] current() {
        try {
            return ((MessageDigest) live().clone()).digest();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-384 digest not cloneable", e);
        }
    }

    /**
     * Drops the running hash once the handshake's last transcript hash has been taken (E_0, SPEC.md §3): the
     * SHA-384 state with its message schedule is about 1 KB that an established connection would otherwise keep.
     */
    void release() { digest = null; }

    private MessageDigest live() {
        if (digest == null) throw new IllegalStateException("the handshake transcript was released after the handshake");
        return digest;
    }

    static byte[] hash(byte[] data) { return sha384().digest(data); }
}
