package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked big-endian reader over one message body (SPEC.md conventions). Every length is checked against
 * the remaining bytes before anything is allocated; a short or over-long body is a {@code DECODE_ERROR} that
 * names the field.
 */
public final class WireReader {
    private final byte[] buf;
    private int pos;
    private final int end;

    WireReader(byte[] buf) { this(buf, 0, buf.length); }

    WireReader(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
    }

    int remaining() { return end - pos; }

    private void need(int n, String field) throws QspProtocolException {
        if (n < 0 || n > end - pos) {
            throw new QspProtocolException(QspError.DECODE_ERROR,
                    field + ": needs " + n + " bytes, " + (end - pos) + " left");
        }
    }

    int u8(String field) throws QspProtocolException {
        need(1, field);
        return buf[pos++] & 0xFF;
    }

    int u16(String field) throws QspProtocolException {
        need(2, field);
        int v = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    int u24(String field) throws QspProtocolException {
        need(3, field);
        int v = ((buf[pos] & 0xFF) << 16) | ((buf[pos + 1] & 0xFF) << 8) | (buf[pos + 2] & 0xFF);
        pos += 3;
        return v;
    }

    int u32(String field) throws QspProtocolException {
        need(4, field);
        int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8)
                | (buf[pos + 3] & 0xFF);
        pos += 4;
        return v;
    }

    byte[] bytes(int n, String field) throws QspProtocolException {
        need(n, field);
        byte[] out = new byte[n];
        System.arraycopy(buf, pos, out, 0, n);
        pos += n;
        return out;
    }

    byte[] lp8(String field) throws QspProtocolException { return bytes(u8(field + " length"), field); }

    byte[] lp16(String field) throws QspProtocolException { return bytes(u16(field + " length"), field); }

    byte[] lp24(String field) throws QspProtocolException { return bytes(u24(field + " length"), field); }

    /** {@code ascii8}: a length-prefixed (u8) string of bytes 0x20..0x7E; any other byte is a DECODE_ERROR (SPEC.md conventions). */
    String ascii8(String field) throws QspProtocolException {
        byte[] b = lp8(field);
        for (byte c : b) {
            if (c < 0x20 || c > 0x7E) throw new QspProtocolException(QspError.DECODE_ERROR, field + ": not printable ASCII");
        }
        return new String(b, StandardCharsets.US_ASCII);
    }

    /** A sub-reader over the next {@code n} bytes (for length-prefixed vectors), consuming them here. */
    WireReader sub(int n, String field) throws QspProtocolException {
        need(n, field);
        WireReader r = new WireReader(buf, pos, n);
        pos += n;
        return r;
    }

    void expectEnd(String message) throws QspProtocolException {
        if (pos != end) {
            throw new QspProtocolException(QspError.DECODE_ERROR, message + ": " + (end - pos) + " trailing bytes");
        }
    }
}
