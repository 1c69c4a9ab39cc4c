package dev.qsp.provider.kem;

/**
 * The raw X25519MLKEM768 private key defined by QSP (the draft defines none): ML-KEM-768 seed d ‖ z (64 bytes,
 * FIPS 203 §7.1) ‖ X25519 private scalar (32 bytes), 96 bytes in all (SPEC.md §2).
 */
public final class X25519MLKEM768PrivateKeySpec extends HybridPrivateKeySpec {
    /**
     * Wraps a copy of the raw X25519MLKEM768 decapsulation key.
     *
     * @param key the 96-byte X25519MLKEM768 private key (copied)
     */
    public X25519MLKEM768PrivateKeySpec(byte[] key) {
        super(key);
    }

    @Override
    public String getAlgorithm() {
        return "X25519MLKEM768";
    }
}
