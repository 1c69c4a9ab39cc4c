package dev.qsp.provider.kdf;

import java.io.Serial;
import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * What a {@link NextEpochKeysSpec} derives: the epoch secret {@code E_{e+1}} and both traffic keys of epoch
 * {@code e+1}, each a destroyable {@link QspSecretKey} that the caller may keep and destroy on its own schedule
 * (the epoch secret lives until the next rekey, each traffic key until its direction switches).
 *
 * <p>As a {@code SecretKey} its encoding is {@code E_{e+1} ‖ key(c2s) ‖ key(s2c)}, the bytes
 * {@code deriveData} returns; {@link #destroy()} destroys all three parts. {@link #toString()} shows no secret.
 */
public final class QspEpochKeys implements SecretKey {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The algorithm name of this container. */
    public static final String ALGORITHM = "QSP-EpochKeys";

    /** {@code E_{e+1}}. */
    private final QspSecretKey epochSecret;
    /** The client-to-server traffic key of the new epoch. */
    private final QspSecretKey clientToServer;
    /** The server-to-client traffic key of the new epoch. */
    private final QspSecretKey serverToClient;

    /** Wraps copies of the three parts of {@code encoded} ({@code 48 + 2 * keyLength} bytes). */
    QspEpochKeys(byte[] encoded, int keyLength, String keyAlgorithm) {
        int h = KeySchedule.HASH_LEN;
        if (encoded.length != h + 2 * keyLength) {
            throw new IllegalArgumentException("epoch keys of " + encoded.length + " bytes, expected " + (h + 2 * keyLength));
        }
        byte[] part = SecretArrays.track(Arrays.copyOfRange(encoded, 0, h));
        try {
            epochSecret = new QspSecretKey(part, QspSecretKey.STAGE_SECRET);
            Arrays.fill(part, (byte) 0);
            part = SecretArrays.track(Arrays.copyOfRange(encoded, h, h + keyLength));
            clientToServer = new QspSecretKey(part, keyAlgorithm);
            Arrays.fill(part, (byte) 0);
            part = SecretArrays.track(Arrays.copyOfRange(encoded, h + keyLength, h + 2 * keyLength));
            serverToClient = new QspSecretKey(part, keyAlgorithm);
        } finally {
            Arrays.fill(part, (byte) 0);
        }
    }

    /** {@return {@code E_{e+1}} ("QSP-Secret", 48 bytes)} */
    public QspSecretKey epochSecret() { return epochSecret; }

    /**
     * {@return {@code key(e+1, direction)} in the cipher's key algorithm}
     *
     * @param direction which of the two traffic keys
     */
    public QspSecretKey trafficKey(Direction direction) {
        return direction == Direction.CLIENT_TO_SERVER ? clientToServer : serverToClient;
    }

    @Override
    public String getAlgorithm() { return ALGORITHM; }

    @Override
    public String getFormat() { return "RAW"; }

    /** {@code E_{e+1} ‖ key(c2s) ‖ key(s2c)}. @throws IllegalStateException once any part is destroyed */
    @Override
    public byte[] getEncoded() {
        byte[] e = epochSecret.getEncoded();
        byte[] c = clientToServer.getEncoded();
        byte[] s = serverToClient.getEncoded();
        try {
            byte[] out = SecretArrays.track(Arrays.copyOf(e, e.length + c.length + s.length));
            System.arraycopy(c, 0, out, e.length, c.length);
            System.arraycopy(s, 0, out, e.length + c.length, s.length);
            return out;
        } finally {
            Arrays.fill(e, (byte) 0);
            Arrays.fill(c, (byte) 0);
            Arrays.fill(s, (byte) 0);
        }
    }

    /** Destroys all three parts. */
    @Override
    public void destroy() {
        epochSecret.destroy();
        clientToServer.destroy();
        serverToClient.destroy();
    }

    /** True once every part is destroyed. */
    @Override
    public boolean isDestroyed() {
        return epochSecret.isDestroyed() && clientToServer.isDestroyed() && serverToClient.isDestroyed();
    }

    @Override
    public String toString() {
        return "QspEpochKeys[" + clientToServer.getAlgorithm() + ", " + clientToServer.length() + "-byte keys"
                + (isDestroyed() ? ", destroyed" : "") + "]";
    }
}
