package dev.qsp.sockets.engine;

import dev.qsp.provider.QspProvider;
import dev.qsp.provider.kdf.Direction;
import dev.qsp.provider.kdf.EpochZeroSpec;
import dev.qsp.provider.kdf.FinishedKeySpec;
import dev.qsp.provider.kdf.HybridExtractSpec;
import dev.qsp.provider.kdf.NextEpochKeysSpec;
import dev.qsp.provider.kdf.NextEpochSpec;
import dev.qsp.provider.kdf.QspEpochKeys;
import dev.qsp.provider.kdf.QspSecretKey;
import dev.qsp.provider.kdf.TrafficKeySpec;
import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.KDF;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The engine's use of the key schedule (SPEC.md §3), all through {@code javax.crypto.KDF "QSP-KDF"} of the QSP
 * provider: this class only sequences the stages and erases what each stage supersedes.
 */
final class KeySchedule {
    private final KDF kdf;

    KeySchedule() {
        try {
            kdf = KDF.getInstance("QSP-KDF", QspProvider.instance());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("QSP-KDF is not available from the QSP provider", e);
        }
    }

    /** Stage 1: the handshake secret from the hybrid inputs (absent inputs are null). */
    SecretKey handshakeSecret(byte[] kemSecret, byte[] qkdKey, byte[] psk) throws QspProtocolException {
        inputs(kemSecret, qkdKey, psk);
        HybridExtractSpec spec = HybridExtractSpec.of(kemSecret, qkdKey, psk);
        try {
            return derived(kdf.deriveKey(QspSecretKey.STAGE_SECRET, spec));
        } catch (GeneralSecurityException e) {
            throw internal("handshake secret", e);
        } finally {
            spec.clear();
        }
    }

    /** Stage 2 and the Finished MAC: {@code HMAC-SHA384(finished_key(sender), transcript_hash)}. */
    byte[] finishedMac(SecretKey handshakeSecret, Direction sender, byte[] transcriptHash) throws QspProtocolException {
        SecretKey fk = null;
        byte[] raw = null;
        try {
            fk = derived(kdf.deriveKey(QspSecretKey.STAGE_SECRET, new FinishedKeySpec(handshakeSecret, sender)));
            raw = fk.getEncoded();
            Mac mac = JcaProviders.mac("HmacSHA384");
            mac.init(new SecretKeySpec(raw, "HmacSHA384"));
            return mac.doFinal(transcriptHash);
        } catch (GeneralSecurityException e) {
            throw internal("Finished key", e);
        } finally {
            Secrets.erase(raw);
            Secrets.destroy(fk);
        }
    }

    static boolean macEquals(byte[] a, byte[] b) { return MessageDigest.isEqual(a, b); }

    /** Stage 3: E_0. */
    SecretKey epochZero(SecretKey handshakeSecret, byte[] transcriptHash) throws QspProtocolException {
        try {
            return derived(kdf.deriveKey(QspSecretKey.STAGE_SECRET, new EpochZeroSpec(handshakeSecret, transcriptHash)));
        } catch (GeneralSecurityException e) {
            throw internal("epoch 0 secret", e);
        }
    }

    /** Stage 4: the traffic key of one direction of one epoch. */
    SecretKey trafficKey(AeadSuite suite, SecretKey epochSecret, int epoch, Direction direction)
            throws QspProtocolException {
        try {
            return derived(kdf.deriveKey(suite.keyAlgorithm(),
                    new TrafficKeySpec(epochSecret, epoch, direction, AeadSuite.KEY_LENGTH)));
        } catch (GeneralSecurityException e) {
            throw internal("traffic key", e);
        }
    }

    /** Stage 5: E_{e+1} from E_e, the rekey transcript hash and the fresh inputs (null for a ratchet). */
    SecretKey nextEpoch(SecretKey epochSecret, int nextEpoch, byte[] rekeyTranscriptHash, byte[] freshKem,
                        byte[] freshQkd) throws QspProtocolException {
        NextEpochSpec spec = new NextEpochSpec(epochSecret, nextEpoch, rekeyTranscriptHash, freshKem, freshQkd);
        try {
            return derived(kdf.deriveKey(QspSecretKey.STAGE_SECRET, spec));
        } catch (GeneralSecurityException e) {
            throw internal("next epoch secret", e);
        } finally {
            spec.clear(); // the spec's copies of the fresh secrets
        }
    }

    /**
     * Stages 5 and 4 in one call: E_{e+1} and both traffic keys of epoch e+1 (fresh inputs null for a ratchet).
     * The caller owns the three parts and destroys each when it is superseded.
     */
    QspEpochKeys nextEpochKeys(AeadSuite suite, SecretKey epochSecret, int nextEpoch, byte[] rekeyTranscriptHash,
                               byte[] freshKem, byte[] freshQkd) throws QspProtocolException {
        inputs(freshKem, freshQkd);
        NextEpochKeysSpec spec = new NextEpochKeysSpec(
                new NextEpochSpec(epochSecret, nextEpoch, rekeyTranscriptHash, freshKem, freshQkd), AeadSuite.KEY_LENGTH);
        try {
            return derived((QspEpochKeys) kdf.deriveKey(suite.keyAlgorithm(), spec));
        } catch (GeneralSecurityException e) {
            throw internal("next epoch's keys", e);
        } finally {
            spec.clear(); // the spec's copies of the fresh secrets
        }
    }

    /**
     * Test hook (package-private, null outside tests): sees every key this schedule derives and every key-source
     * secret it is given, so tests can check that each key is destroyed and each secret array zeroed once the
     * engine is done with it (SPEC.md §4.14). One per JVM; tests that set it run one at a time.
     */
    interface Spy {
        void derived(SecretKey key);

        void secretInput(byte[] secret);
    }

    static volatile Spy spyForTest;

    private static <K extends SecretKey> K derived(K key) {
        Spy s = spyForTest;
        if (s != null) s.derived(key);
        return key;
    }

    private static void inputs(byte[]... secrets) {
        Spy s = spyForTest;
        if (s == null) return;
        for (byte[] b : secrets) if (b != null) s.secretInput(b);
    }

    private static QspProtocolException internal(String what, GeneralSecurityException e) {
        return new QspProtocolException(QspError.INTERNAL, "key schedule failed to derive the " + what, false, e);
    }
}
