package dev.qsp.bench.engine;

import java.io.Serial;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A deterministic SecureRandom for the benchmarks and the fuzzer: SHA-256(seed ‖ u64 counter) blocks, the same
 * construction as the engine's test SeededRandom (SPEC.md §4.16). Insecure by design — its point is that a fuzz
 * case repeats exactly from its seed. Never use it for real keys.
 */
public final class DeterministicRandom extends SecureRandom {
    @Serial
    private static final long serialVersionUID = 1L;

    private final byte[] seed;
    private final MessageDigest sha256;
    private final byte[] block = new byte[32];
    private long counter;
    private int used = 32;

    /**
     * A stream that depends on {@code seed} alone.
     *
     * @param seed the seed, as UTF-8 bytes the prefix of every hashed block
     * @throws IllegalStateException if the JDK has no SHA-256
     */
    public DeterministicRandom(String seed) {
        super(new byte[0]);
        this.seed = seed.getBytes(StandardCharsets.UTF_8);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public synchronized void nextBytes(byte[] out) {
        for (int i = 0; i < out.length; i++) {
            if (used == 32) {
                refill();
            }
            out[i] = block[used++];
        }
    }

    private void refill() {
        sha256.update(seed);
        for (int i = 0; i < 8; i++) {
            sha256.update((byte) (counter >>> (56 - 8 * i)));
        }
        counter++;
        System.arraycopy(sha256.digest(), 0, block, 0, 32);
        used = 0;
    }

    @Override
    public byte[] generateSeed(int n) {
        byte[] b = new byte[n];
        nextBytes(b);
        return b;
    }

    @Override
    public void setSeed(long s) {
        // Ignored: the stream depends only on the constructor seed (SecureRandom's constructor calls this).
    }

    @Override
    public void setSeed(byte[] s) {
        // Ignored, as above.
    }
}
