package dev.qsp.keysources.qkd;

import dev.qsp.keysources.qkd.QkdException.Reason;
import java.nio.charset.StandardCharsets;

/** Bounds-checked reading of a QKD offer or reply (SPEC.md §5.3); every failure is {@code malformed}. */
final class WireReader {
    private final byte[] in;
    private final Reason malformed;
    private final String what;
    private int pos;

    WireReader(byte[] in, Reason malformed, String what) throws QkdException {
        if (in == null) {
            throw new QkdException(malformed, what + " is absent");
        }
        this.in = in;
        this.malformed = malformed;
        this.what = what;
    }

    int u8(String field) throws QkdException {
        need(1, field);
        return in[pos++] & 0xff;
    }

    int u16(String field) throws QkdException {
        need(2, field);
        int v = ((in[pos] & 0xff) << 8) | (in[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    String ascii(int len, String field) throws QkdException {
        need(len, field);
        for (int i = pos; i < pos + len; i++) {
            if (in[i] < 0x21 || in[i] > 0x7e) {
                throw fail(field + " has a non-printable or non-ASCII byte at offset " + i);
            }
        }
        String s = new String(in, pos, len, StandardCharsets.US_ASCII);
        pos += len;
        return s;
    }

    String saeId(String field) throws QkdException {
        String s = ascii(u8(field + " length"), field);
        if (!SaeIds.isSaeId(s)) {
            throw fail(field + " \"" + s + "\" is not a valid SAE ID");
        }
        return s;
    }

    void end() throws QkdException {
        if (pos != in.length) {
            throw fail((in.length - pos) + " trailing byte(s) after offset " + pos);
        }
    }

    QkdException fail(String message) {
        return new QkdException(malformed, what + ": " + message);
    }

    private void need(int n, String field) throws QkdException {
        if (in.length - pos < n) {
            throw fail("truncated at " + field + " (offset " + pos + ", need " + n + " byte(s), have " + (in.length - pos) + ")");
        }
    }
}
