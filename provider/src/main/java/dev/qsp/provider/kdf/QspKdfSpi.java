package dev.qsp.provider.kdf;

import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Arrays;
import javax.crypto.KDFParameters;
import javax.crypto.KDFSpi;
import javax.crypto.SecretKey;

/**
 * The {@code QSP-KDF} service of the {@code QSP} provider: the QSP key schedule of SPEC.md §3 over HKDF-SHA384.
 *
 * <p>Use it through the JCA: {@code KDF.getInstance("QSP-KDF", provider)}, then
 * {@code deriveKey("QSP-Secret", spec)} with a {@link HybridExtractSpec}, {@link FinishedKeySpec},
 * {@link EpochZeroSpec} or {@link NextEpochSpec} (the result is a destroyable {@link QspSecretKey}), or
 * {@code deriveKey("AES" | "ChaCha20" | ..., spec)} with a {@link TrafficKeySpec}, or with a
 * {@link NextEpochKeysSpec} for the next epoch secret and both its traffic keys at once ({@link QspEpochKeys}). {@code deriveData(spec)}
 * returns the same bytes as {@code deriveKey(...).getEncoded()}.
 *
 * <p>Errors: bad inputs throw {@link InvalidAlgorithmParameterException} whose message names the spec and the
 * field. Note that {@code javax.crypto.KDF} wraps an exception thrown here in its own
 * {@code InvalidAlgorithmParameterException("The specified QSP provider does not support this input", cause)}:
 * the message from this class is on {@link Throwable#getCause()}.
 *
 * <p>Thread safety: not thread-safe. Each instance reuses one {@code HmacSHA384} {@code Mac} (the rekey path
 * derives thousands of keys per second); the JCA contract of {@link javax.crypto.KDF} ("Concurrent Access") lets a
 * {@code KDF} object be used by one thread at a time, so use one {@code KDF} per connection or per thread.
 *
 * <p>Secrets: every intermediate array is erased in a {@code finally} block, the {@code Mac} is re-keyed with a
 * constant after each derivation, and outputs are {@link QspSecretKey}s the caller can destroy. Every secret array
 * passes through {@link SecretArrays}, which is how the tests check the erasure (SPEC.md §4.14).
 */
public final class QspKdfSpi extends KDFSpi {
    /** The algorithm name under which the provider registers this service. */
    public static final String ALGORITHM = "QSP-KDF";
    /** Accepted traffic-key lengths in bytes (SPEC.md §3, stage 4). */
    public static final int MIN_KEY_LENGTH = 16;
    /** Accepted traffic-key lengths in bytes (SPEC.md §3, stage 4). */
    public static final int MAX_KEY_LENGTH = 64;

    private static final int HASH_LEN = KeySchedule.HASH_LEN;
    private static final byte[] EMPTY = new byte[0];

    private final KeySchedule schedule;

    /**
     * Creates the SPI behind {@code KDF.getInstance("QSP-KDF")}.
     *
     * @param parameters must be {@code null}: QSP-KDF has no instance parameters (everything is in the specs)
     * @throws InvalidAlgorithmParameterException if {@code parameters} is not {@code null}
     */
    public QspKdfSpi(KDFParameters parameters) throws InvalidAlgorithmParameterException {
        this(parameters, new Hkdf());
    }

    /** Over a given {@link Hkdf}: tests inspect its {@code Mac} after a derivation (that it was scrubbed). */
    QspKdfSpi(KDFParameters parameters, Hkdf hkdf) throws InvalidAlgorithmParameterException {
        super(requireNoParameters(parameters));
        this.schedule = new KeySchedule(hkdf);
    }

    private static KDFParameters requireNoParameters(KDFParameters parameters)
            throws InvalidAlgorithmParameterException {
        if (parameters != null) {
            throw new InvalidAlgorithmParameterException(
                    "QSP-KDF takes no KDFParameters, got " + parameters.getClass().getName());
        }
        return null;
    }

    /** QSP-KDF has no instance parameters. */
    @Override
    protected KDFParameters engineGetParameters() {
        return null;
    }

    /**
     * Derives a key. Stage specs need {@code alg} = {@link QspSecretKey#STAGE_SECRET} ("QSP-Secret");
     * a {@link TrafficKeySpec} takes the cipher's key algorithm ("AES" needs 16, 24 or 32 bytes, "ChaCha20" 32).
     *
     * @throws NoSuchAlgorithmException if {@code alg} is empty
     * @throws InvalidAlgorithmParameterException if the spec is unsupported or invalid, or {@code alg} does not
     *         fit it
     */
    @Override
    protected SecretKey engineDeriveKey(String alg, AlgorithmParameterSpec spec)
            throws InvalidAlgorithmParameterException, NoSuchAlgorithmException {
        if (alg == null) {
            throw new NullPointerException("the algorithm for the SecretKey return value must not be null");
        }
        if (alg.isEmpty()) {
            throw new NoSuchAlgorithmException("the algorithm for the SecretKey return value must not be empty");
        }
        if (spec instanceof TrafficKeySpec t) {
            checkCipherKeyLength("TrafficKeySpec", alg, t.keyLength());
        } else if (spec instanceof NextEpochKeysSpec k) {
            checkCipherKeyLength("NextEpochKeysSpec", alg, k.keyLength());
            byte[] keys = engineDeriveData(spec);
            try {
                return new QspEpochKeys(keys, k.keyLength(), alg);
            } finally {
                Arrays.fill(keys, (byte) 0);
            }
        } else if (isStageSpec(spec) && !QspSecretKey.STAGE_SECRET.equals(alg)) {
            throw new InvalidAlgorithmParameterException(spec.getClass().getSimpleName() + " derives a \""
                    + QspSecretKey.STAGE_SECRET + "\" key, not \"" + alg + "\"");
        }
        byte[] out = engineDeriveData(spec);
        try {
            return new QspSecretKey(out, alg);
        } finally {
            Arrays.fill(out, (byte) 0);
        }
    }

    /**
     * Derives the raw bytes of the stage output or traffic key that {@code spec} describes.
     *
     * @throws InvalidAlgorithmParameterException if the spec is unsupported or invalid
     */
    @Override
    protected byte[] engineDeriveData(AlgorithmParameterSpec spec) throws InvalidAlgorithmParameterException {
        try {
            return switch (spec) {
                case HybridExtractSpec s -> handshakeSecret(s);
                case FinishedKeySpec s -> finishedKey(s);
                case EpochZeroSpec s -> epochZero(s);
                case TrafficKeySpec s -> trafficKey(s);
                case NextEpochSpec s -> nextEpoch(s);
                case NextEpochKeysSpec s -> nextEpochKeys(s);
                case null -> throw new InvalidAlgorithmParameterException("QSP-KDF needs a derivation spec, got null");
                default -> throw new InvalidAlgorithmParameterException("QSP-KDF does not support "
                        + spec.getClass().getName() + "; use HybridExtractSpec, FinishedKeySpec, EpochZeroSpec, "
                        + "TrafficKeySpec, NextEpochSpec or NextEpochKeysSpec from dev.qsp.provider.kdf");
            };
        } finally {
            schedule.scrub();
        }
    }

    // --- Stage 1 (SPEC.md §3): hybrid extract chain -> HS ---
    private byte[] handshakeSecret(HybridExtractSpec s) throws InvalidAlgorithmParameterException {
        byte[] kem = s.kemSecret();
        byte[] qkd = s.qkdKey();
        byte[] psk = s.preSharedKey();
        try {
            if (kem == null || kem.length == 0) {
                throw new InvalidAlgorithmParameterException("HybridExtractSpec: kemSecret is missing");
            }
            checkInputLength("HybridExtractSpec", "kemSecret", kem);
            checkInputLength("HybridExtractSpec", "qkdKey", qkd);
            checkInputLength("HybridExtractSpec", "preSharedKey", psk);
            return schedule.handshakeSecret(kem, qkd == null ? EMPTY : qkd, psk == null ? EMPTY : psk);
        } finally {
            KeySchedule.erase(kem);
            KeySchedule.erase(qkd);
            KeySchedule.erase(psk);
        }
    }

    // --- Stage 2: finished keys ---
    private byte[] finishedKey(FinishedKeySpec s) throws InvalidAlgorithmParameterException {
        byte[] hs = stageSecret("FinishedKeySpec", "handshakeSecret", s.handshakeSecret());
        try {
            return schedule.finishedKey(hs, s.sender());
        } finally {
            Arrays.fill(hs, (byte) 0);
        }
    }

    // --- Stage 3: MS and E_0 ---
    private byte[] epochZero(EpochZeroSpec s) throws InvalidAlgorithmParameterException {
        byte[] th = s.transcriptHash();
        checkHashLength("EpochZeroSpec", "transcriptHash", th);
        byte[] hs = stageSecret("EpochZeroSpec", "handshakeSecret", s.handshakeSecret());
        try {
            return schedule.epochZero(hs, th);
        } finally {
            Arrays.fill(hs, (byte) 0);
        }
    }

    private static int checkKeyLength(String spec, int len) throws InvalidAlgorithmParameterException {
        if (len < MIN_KEY_LENGTH || len > MAX_KEY_LENGTH) {
            throw new InvalidAlgorithmParameterException(spec + ": keyLength " + len
                    + " is out of range " + MIN_KEY_LENGTH + ".." + MAX_KEY_LENGTH);
        }
        return len;
    }

    // --- Stage 4: traffic keys ---
    private byte[] trafficKey(TrafficKeySpec s) throws InvalidAlgorithmParameterException {
        int len = checkKeyLength("TrafficKeySpec", s.keyLength());
        byte[] e = stageSecret("TrafficKeySpec", "epochSecret", s.epochSecret());
        try {
            return schedule.trafficKey(e, s.epoch(), s.direction(), len);
        } finally {
            Arrays.fill(e, (byte) 0);
        }
    }

    // --- Stage 5 then stage 4 of the new epoch, in one call ---
    private byte[] nextEpochKeys(NextEpochKeysSpec k) throws InvalidAlgorithmParameterException {
        int len = checkKeyLength("NextEpochKeysSpec", k.keyLength());
        return nextEpoch(k.step(), len);
    }

    // --- Stage 5: the epoch ratchet ---
    private byte[] nextEpoch(NextEpochSpec s) throws InvalidAlgorithmParameterException {
        return nextEpoch(s, 0);
    }

    /** Stage 5; with {@code keyLength} &gt; 0 also both traffic keys of the new epoch (stage 4). */
    private byte[] nextEpoch(NextEpochSpec s, int keyLength) throws InvalidAlgorithmParameterException {
        if (s.nextEpoch() == 0) {
            // Epoch 0 only comes from EpochZeroSpec; 0 as "next" means e+1 overflowed u32 (SPEC.md §3, stage 5).
            throw new InvalidAlgorithmParameterException(
                    "NextEpochSpec: nextEpoch is 0: epoch would wrap (epoch 0 comes only from EpochZeroSpec)");
        }
        byte[] th = s.rekeyTranscriptHash();
        checkHashLength("NextEpochSpec", "rekeyTranscriptHash", th);
        byte[] kem = s.freshKemSecret();
        byte[] qkd = s.freshQkdKey();
        byte[] e = null;
        try {
            checkInputLength("NextEpochSpec", "freshKemSecret", kem);
            checkInputLength("NextEpochSpec", "freshQkdKey", qkd);
            boolean hasKem = kem != null && kem.length > 0;
            boolean hasQkd = qkd != null && qkd.length > 0;
            if (hasQkd && !hasKem) {
                throw new InvalidAlgorithmParameterException("NextEpochSpec: freshQkdKey given without "
                        + "freshKemSecret (a fresh rekey always includes a new hybrid KEM secret)");
            }
            e = stageSecret("NextEpochSpec", "epochSecret", s.epochSecret());
            return keyLength == 0
                    ? schedule.nextEpoch(e, s.nextEpoch(), th, hasKem ? kem : EMPTY, hasQkd ? qkd : EMPTY)
                    : schedule.nextEpochKeys(e, s.nextEpoch(), th, hasKem ? kem : EMPTY, hasQkd ? qkd : EMPTY,
                            keyLength);
        } finally {
            KeySchedule.erase(kem);
            KeySchedule.erase(qkd);
            KeySchedule.erase(e);
        }
    }

    // --- Input checks ---

    /** The raw bytes of a 48-byte stage secret (HS or an epoch secret), or a precise complaint. */
    private static byte[] stageSecret(String spec, String field, SecretKey key)
            throws InvalidAlgorithmParameterException {
        if (key.isDestroyed()) {
            throw new InvalidAlgorithmParameterException(spec + ": " + field + " has been destroyed");
        }
        byte[] raw;
        try {
            raw = SecretArrays.track(key.getEncoded());
        } catch (IllegalStateException destroyedMeanwhile) {
            throw new InvalidAlgorithmParameterException(spec + ": " + field + " has been destroyed");
        }
        if (raw == null || !"RAW".equalsIgnoreCase(key.getFormat())) {
            KeySchedule.erase(raw);
            throw new InvalidAlgorithmParameterException(spec + ": " + field + " has no RAW encoding");
        }
        if (raw.length != HASH_LEN) {
            int n = raw.length;
            Arrays.fill(raw, (byte) 0);
            throw new InvalidAlgorithmParameterException(
                    spec + ": " + field + " must be " + HASH_LEN + " bytes, got " + n);
        }
        return raw;
    }

    private static void checkHashLength(String spec, String field, byte[] hash)
            throws InvalidAlgorithmParameterException {
        if (hash.length != HASH_LEN) {
            throw new InvalidAlgorithmParameterException(spec + ": " + field + " must be " + HASH_LEN
                    + " bytes (SHA-384), got " + hash.length);
        }
    }

    private static void checkInputLength(String spec, String field, byte[] input)
            throws InvalidAlgorithmParameterException {
        if (input != null && input.length > KeySchedule.MAX_INPUT_LEN) {
            throw new InvalidAlgorithmParameterException(spec + ": " + field + " is " + input.length
                    + " bytes, at most " + KeySchedule.MAX_INPUT_LEN + " (lp16)");
        }
    }

    /** Catches a traffic key that the named cipher would refuse, before it is derived. */
    private static void checkCipherKeyLength(String spec, String alg, int len)
            throws InvalidAlgorithmParameterException {
        if (alg.equalsIgnoreCase("AES") && len != 16 && len != 24 && len != 32) {
            throw new InvalidAlgorithmParameterException(
                    spec + ": an AES key must be 16, 24 or 32 bytes, got keyLength " + len);
        }
        if ((alg.equalsIgnoreCase("ChaCha20") || alg.equalsIgnoreCase("ChaCha20-Poly1305")) && len != 32) {
            throw new InvalidAlgorithmParameterException(
                    spec + ": a ChaCha20 key must be 32 bytes, got keyLength " + len);
        }
    }

    private static boolean isStageSpec(AlgorithmParameterSpec spec) {
        return spec instanceof HybridExtractSpec || spec instanceof FinishedKeySpec
                || spec instanceof EpochZeroSpec || spec instanceof NextEpochSpec;
    }
}
