package dev.qsp.sockets.engine;

import java.io.Serial;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A deterministic SecureRandom for tests and the example vector: SHA-256(seed ‖ u64 counter) blocks. Not for
 * production use: its whole point is to repeat.
 */
final class SeededRandom extends SecureRandom {
    @Serial
    private static final long serialVersionUID = 1L;

    private final byte[] seed;
    private long counter;
    private final byte[] block = new byte[32];
    private int used = 32;

    SeededRandom(String seed) { this(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8)); }

    SeededRandom(byte[] seed) {
        super(new byte[0]);
        this.seed = seed.clone();
    }

    @Override
    public synchronized void nextBytes(byte[] out) {
        for (int i = 0; i < out.length; i++) {
            if (used == 32) refill();
            out[i] = block[used++];
        }
    }

    private void refill() {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(seed);
            for (int i = 0; i < 8; i++) d.update((byte) (counter >>> (56 - 8 * i)));
            counter++;
            System.arraycopy(d.digest(), 0, block, 0, 32);
            used = 0;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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

    @Override
    public String getAlgorithm() { return "SeededSHA256-TestOnly"; }
}
