package dev.qsp.sockets.engine;

import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;

/**
 * The record-protection AEADs (SPEC.md §4.2) with their wire identifiers and per-key usage limits (SPEC.md §4.13).
 *
 * <p>AES-256-GCM: rekey by 2^23 records, refuse to send past 2^24.5 records under one key (the AEAD-limits
 * analysis, draft-irtf-cfrg-aead-limits, for an attacker advantage of about 2^-57 with 16 KiB records).
 * ChaCha20-Poly1305 has no practical confidentiality limit below the sequence space (RFC 8446 §5.5); the
 * connection closes on the first forgery, so the integrity limit does not apply either: rekey by 2^32 records
 * anyway (to bound what one key protects) and refuse past 2^40.
 */
public enum AeadSuite {
    /** AES-256-GCM, wire id 0x0001 (SunJCE {@code AES/GCM/NoPadding}, 128-bit tag). */
    AES_256_GCM(0x0001, "AES-256-GCM", "AES/GCM/NoPadding", "AES", 1L << 23, 23_726_566L),
    /** ChaCha20-Poly1305, wire id 0x0002. */
    CHACHA20_POLY1305(0x0002, "ChaCha20-Poly1305", "ChaCha20-Poly1305", "ChaCha20", 1L << 32, 1L << 40);

    /** Both suites use 256-bit keys. */
    public static final int KEY_LENGTH = 32;
    /** Nonce = u32(epoch) ‖ u64(seq). */
    public static final int NONCE_LENGTH = 12;

    private final int id;
    private final String displayName;
    private final String transformation;
    private final String keyAlgorithm;
    private final long softRecordLimit;
    private final long hardRecordLimit;

    AeadSuite(int id, String displayName, String transformation, String keyAlgorithm, long soft, long hard) {
        this.id = id;
        this.displayName = displayName;
        this.transformation = transformation;
        this.keyAlgorithm = keyAlgorithm;
        this.softRecordLimit = soft;
        this.hardRecordLimit = hard;
    }

    /** {@return the u16 wire identifier (SPEC.md §4.2)} */
    public int id() { return id; }

    /** {@return the name as SPEC.md §4.2 writes it, e.g. {@code AES-256-GCM}} */
    public String displayName() { return displayName; }

    String transformation() { return transformation; }

    String keyAlgorithm() { return keyAlgorithm; }

    /** {@return the records under one key after which a rekey is started} */
    public long softRecordLimit() { return softRecordLimit; }

    /** {@return the records under one key after which sending is refused} */
    public long hardRecordLimit() { return hardRecordLimit; }

    AlgorithmParameterSpec params(byte[] nonce) {
        return this == AES_256_GCM ? new GCMParameterSpec(TAG_BITS, nonce) : new IvParameterSpec(nonce);
    }

    private static final int TAG_BITS = 128;

    /**
     * {@return the suite with this wire id, or null}
     *
     * @param id a u16 wire identifier
     */
    public static AeadSuite fromId(int id) {
        for (AeadSuite s : values()) if (s.id == id) return s;
        return null;
    }
}
