package dev.qsp.provider.kem;

/**
 * The raw X25519MLKEM768 public key, as sent in a TLS key share (draft-ietf-tls-ecdhe-mlkem): ML-KEM-768
 * encapsulation key (1184 bytes) ‖ X25519 public key (32 bytes), 1216 bytes in all.
 */
public final class X25519MLKEM768PublicKeySpec extends HybridKeySpec {
    /**
     * Wraps a copy of the raw X25519MLKEM768 encapsulation key.
     *
     * @param key the 1216-byte X25519MLKEM768 public key (copied)
     */
    public X25519MLKEM768PublicKeySpec(byte[] key) {
        super(key);
    }

    @Override
    public String getAlgorithm() {
        return "X25519MLKEM768";
    }
}
