package dev.qsp.provider.kem;

/**
 * The raw X-Wing public (encapsulation) key: ML-KEM-768 encapsulation key (1184 bytes) ‖ X25519 public key
 * (32 bytes), 1216 bytes in all (draft-connolly-cfrg-xwing-kem §5.1).
 */
public final class XWingPublicKeySpec extends HybridKeySpec {
    /**
     * Wraps a copy of the raw X-Wing encapsulation key.
     *
     * @param key the 1216-byte X-Wing encapsulation key (copied)
     */
    public XWingPublicKeySpec(byte[] key) {
        super(key);
    }

    @Override
    public String getAlgorithm() {
        return "X-Wing";
    }
}
