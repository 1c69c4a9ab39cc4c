package dev.qsp.provider.kem;

/**
 * The raw X-Wing private (decapsulation) key: the 32-byte seed from which SHAKE-256 derives the ML-KEM-768 and
 * X25519 keys (draft-connolly-cfrg-xwing-kem §5.2). The same 32 bytes are the PKCS#8 privateKey.
 */
public final class XWingPrivateKeySpec extends HybridPrivateKeySpec {
    /**
     * Wraps a copy of the raw X-Wing decapsulation key.
     *
     * @param key the 32-byte X-Wing seed (copied)
     */
    public XWingPrivateKeySpec(byte[] key) {
        super(key);
    }

    @Override
    public String getAlgorithm() {
        return "X-Wing";
    }
}
