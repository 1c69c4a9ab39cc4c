package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;

/**
 * The AEAD of one direction of one epoch (SPEC.md §4.9). The nonce is exactly {@code u32(epoch) ‖ u64(seq)} and
 * the associated data is the 15-byte frame header; the Cipher object is reused for every frame of the epoch
 * (only {@code init} with the new nonce per frame, which the JDK requires anyway), and the key is destroyed when
 * the epoch is superseded.
 */
final class RecordCipher {
    private final AeadSuite suite;
    private final int epoch;
    private final SecretKey key;
    private final Cipher cipher;
    private boolean destroyed;

    RecordCipher(AeadSuite suite, int epoch, SecretKey key) throws GeneralSecurityException {
        this(suite, epoch, key, JcaProviders.cipher(suite.transformation()));
    }

    private RecordCipher(AeadSuite suite, int epoch, SecretKey key, Cipher cipher) {
        this.suite = suite;
        this.epoch = epoch;
        this.key = key;
        this.cipher = cipher;
    }

    int epoch() { return epoch; }

    /**
     * The cipher of the next epoch of the same direction: reuses this one's {@code Cipher} object (only
     * {@code init} differs) and destroys this epoch's key. This object must not be used afterwards.
     */
    RecordCipher next(int nextEpoch, SecretKey nextKey) {
        destroy();
        return new RecordCipher(suite, nextEpoch, nextKey, cipher);
    }

    /**
     * {@code u32(epoch) ‖ u64(seq)}, in a new array per frame: the parameter spec copies it anyway, and an
     * established connection then holds no nonce array per direction (heap per connection, SPEC.md §4.15).
     */
    private byte[] nonce(long seq) {
        byte[] nonce = new byte[AeadSuite.NONCE_LENGTH];
        nonce[0] = (byte) (epoch >>> 24);
        nonce[1] = (byte) (epoch >>> 16);
        nonce[2] = (byte) (epoch >>> 8);
        nonce[3] = (byte) epoch;
        for (int i = 0; i < 8; i++) nonce[4 + i] = (byte) (seq >>> (56 - 8 * i));
        return nonce;
    }

    /**
     * Encrypts {@code src[srcOff..srcOff+len)} into {@code buf} right after the header at {@code buf[off..off+15)}
     * (already written, its length field = plaintext length + tag), straight from the caller's array.
     */
    void seal(byte[] buf, int off, long seq, byte[] src, int srcOff, int len) throws QspProtocolException {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, suite.params(nonce(seq)));
            cipher.updateAAD(buf, off, Frames.HEADER_LENGTH);
            cipher.doFinal(src, srcOff, len, buf, off + Frames.HEADER_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new QspProtocolException(QspError.INTERNAL, "record encryption failed", false, e);
        }
    }

    /**
     * Decrypts the frame at {@code in[off..]} (header then {@code payloadLength} bytes) into {@code out[outOff..]}
     * and returns the plaintext length. SunJCE's GCM decrypts into {@code out} before it checks the tag and zeroes
     * that range when the check fails: so {@code out} must be an engine buffer (whose bytes become readable only
     * after this returns), never the application's own array.
     */
    int open(byte[] in, int off, int payloadLength, long seq, byte[] out, int outOff) throws QspProtocolException {
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, suite.params(nonce(seq)));
            cipher.updateAAD(in, off, Frames.HEADER_LENGTH);
            return cipher.doFinal(in, off + Frames.HEADER_LENGTH, payloadLength, out, outOff);
        } catch (AEADBadTagException e) {
            throw new QspProtocolException(QspError.BAD_RECORD_MAC,
                    "frame epoch " + Integer.toUnsignedString(epoch) + " seq " + Long.toUnsignedString(seq)
                            + " failed authentication");
        } catch (GeneralSecurityException e) {
            throw new QspProtocolException(QspError.INTERNAL, "record decryption failed", false, e);
        }
    }

    /** Destroys the key (best effort: the JDK's key classes may refuse, then the reference is dropped). */
    void destroy() {
        if (destroyed) return;
        destroyed = true;
        Secrets.destroy(key);
    }
}
