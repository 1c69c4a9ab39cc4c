package dev.qsp.sockets.engine;

/**
 * Frame header layout and limits (SPEC.md §4.3, §4.13):
 * {@code type u8 ‖ epoch u32 ‖ seq u64 ‖ length u16}, 15 bytes, followed by {@code length} bytes of payload
 * (AEAD ciphertext and tag once the handshake is over). A u16 length suffices because no frame may carry more
 * than 16 KiB of plaintext plus a 16-byte tag, and it caps what a peer can make the receiver buffer before any
 * check at 64 KiB; the real bound ({@link #MAX_PROTECTED_PAYLOAD}) is checked from the header alone.
 */
public final class Frames {
    private Frames() {}

    /** Header size in bytes. */
    public static final int HEADER_LENGTH = 15;
    /** Maximum plaintext bytes per frame. */
    public static final int MAX_PLAINTEXT = 16 * 1024;
    /** AEAD tag length (both suites). */
    public static final int TAG_LENGTH = 16;
    /** Maximum payload of a protected frame. */
    public static final int MAX_PROTECTED_PAYLOAD = MAX_PLAINTEXT + TAG_LENGTH;
    /** Maximum payload of an unprotected (handshake-phase) frame. */
    public static final int MAX_PLAIN_PAYLOAD = MAX_PLAINTEXT;
    /** Largest frame on the wire. */
    public static final int MAX_FRAME = HEADER_LENGTH + MAX_PROTECTED_PAYLOAD;

    /**
     * Writes a 15-byte header at {@code b[off]} (tests and fuzzers build or mutate frames with these).
     *
     * @param b      where it goes
     * @param off    at which index
     * @param type   the frame type
     * @param epoch  the epoch (unsigned in an int)
     * @param seq    the sequence number (unsigned in a long)
     * @param length the payload length
     */
    public static void writeHeader(byte[] b, int off, FrameType type, int epoch, long seq, int length) {
        b[off] = (byte) type.wire();
        b[off + 1] = (byte) (epoch >>> 24);
        b[off + 2] = (byte) (epoch >>> 16);
        b[off + 3] = (byte) (epoch >>> 8);
        b[off + 4] = (byte) epoch;
        for (int i = 0; i < 8; i++) b[off + 5 + i] = (byte) (seq >>> (56 - 8 * i));
        b[off + 13] = (byte) (length >>> 8);
        b[off + 14] = (byte) length;
    }

    /**
     * {@return the type byte of the header at {@code b[off]}}
     *
     * @param b   a header
     * @param off where it starts
     */
    public static int type(byte[] b, int off) { return b[off] & 0xFF; }

    /**
     * {@return the epoch of the header at {@code b[off]} (unsigned in an int)}
     *
     * @param b   a header
     * @param off where it starts
     */
    public static int epoch(byte[] b, int off) {
        return ((b[off + 1] & 0xFF) << 24) | ((b[off + 2] & 0xFF) << 16) | ((b[off + 3] & 0xFF) << 8) | (b[off + 4] & 0xFF);
    }

    /**
     * {@return the sequence number of the header at {@code b[off]} (unsigned in a long)}
     *
     * @param b   a header
     * @param off where it starts
     */
    public static long seq(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[off + 5 + i] & 0xFF);
        return v;
    }

    /**
     * {@return the payload length of the header at {@code b[off]}}
     *
     * @param b   a header
     * @param off where it starts
     */
    public static int length(byte[] b, int off) { return ((b[off + 13] & 0xFF) << 8) | (b[off + 14] & 0xFF); }
}
