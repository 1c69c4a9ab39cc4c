package dev.qsp.bench.fuzz;

/**
 * Reads the fields of a QSP frame header (SPEC.md §4.3: type u8, epoch u32, seq u64, length u16, then the
 * payload). The fuzzer works on whole frames and needs these to split streams and to predict errors.
 */
final class Frame {
    static final int HEADER = 15;
    static final int MAX_PROTECTED_PAYLOAD = 16_384 + 16;
    static final int TYPE_HANDSHAKE = 1;
    static final int TYPE_APP_DATA = 2;
    static final int TYPE_REKEY = 3;
    static final int TYPE_CLOSE = 4;

    private Frame() {
    }

    static int type(byte[] f) {
        return f[0] & 0xFF;
    }

    static int epoch(byte[] f) {
        return ((f[1] & 0xFF) << 24) | ((f[2] & 0xFF) << 16) | ((f[3] & 0xFF) << 8) | (f[4] & 0xFF);
    }

    static long seq(byte[] f) {
        long s = 0;
        for (int i = 5; i < 13; i++) {
            s = (s << 8) | (f[i] & 0xFF);
        }
        return s;
    }

    static int length(byte[] f, int off) {
        return ((f[off + 13] & 0xFF) << 8) | (f[off + 14] & 0xFF);
    }

    static byte[] header(int type, int epoch, long seq, int length) {
        byte[] h = new byte[HEADER];
        h[0] = (byte) type;
        for (int i = 0; i < 4; i++) {
            h[1 + i] = (byte) (epoch >>> (24 - 8 * i));
        }
        for (int i = 0; i < 8; i++) {
            h[5 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        h[13] = (byte) (length >>> 8);
        h[14] = (byte) length;
        return h;
    }

    static String describe(byte[] f) {
        return "frame(type " + type(f) + ", epoch " + Integer.toUnsignedString(epoch(f)) + ", seq "
                + Long.toUnsignedString(seq(f)) + ", length " + length(f, 0) + ", " + f.length + " bytes)";
    }
}
