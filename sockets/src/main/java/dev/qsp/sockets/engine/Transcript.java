package dev.qsp.sockets.engine;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The handshake transcript (SPEC.md §4.8): SHA-384 over the encodings of every handshake message in order, as
 * sent and received. {@link #current()} returns the hash so far without ending the running hash.
 */
final class Transcript {
    static final int HASH_LENGTH = 48;

    private final MessageDigest digest;

    Transcript() {
        digest = sha384();
    }

    static MessageDigest sha384() {
        try {
            return MessageDigest.getInstance("SHA-384");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-384 unavailable", e);
        }
    }

    void add(byte[] encodedMessage) { digest.update(encodedMessage); }

    byte[] current() {
        try {
            return ((MessageDigest) digest.clone()).digest();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-384 digest not cloneable", e);
        }
    }

    static byte[] hash(byte[] data) { return sha384().digest(data); }
}
