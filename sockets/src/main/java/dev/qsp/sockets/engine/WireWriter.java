package dev.qsp.sockets.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Growable big-endian writer for handshake and control message bodies (SPEC.md conventions). */
public final class WireWriter {
    private byte[] buf;
    private int len;

    WireWriter() { this(256); }

    WireWriter(int capacity) { buf = new byte[capacity]; }

    private void ensure(int n) {
        if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }

    WireWriter u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    WireWriter u16(int v) {
        if (v < 0 || v > 0xFFFF) throw new IllegalArgumentException("u16 out of range: " + v);
        ensure(2);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    WireWriter u24(int v) {
        if (v < 0 || v > 0xFFFFFF) throw new IllegalArgumentException("u24 out of range: " + v);
        ensure(3);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    WireWriter u32(int v) {
        ensure(4);
        buf[len++] = (byte) (v >>> 24);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) v;
        return this;
    }

    WireWriter bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    WireWriter lp8(byte[] b) {
        if (b.length > 0xFF) throw new IllegalArgumentException("lp8 field too long: " + b.length);
        return u8(b.length).bytes(b);
    }

    WireWriter lp16(byte[] b) { return u16(b.length).bytes(b); }

    WireWriter lp24(byte[] b) { return u24(b.length).bytes(b); }

    WireWriter ascii8(String s) { return lp8(s.getBytes(StandardCharsets.US_ASCII)); }

    int length() { return len; }

    /** Patches a u16 at {@code at} (for vectors whose length is known only after writing them). */
    void patchU16(int at, int v) {
        buf[at] = (byte) (v >>> 8);
        buf[at + 1] = (byte) v;
    }

    void patchU24(int at, int v) {
        buf[at] = (byte) (v >>> 16);
        buf[at + 1] = (byte) (v >>> 8);
        buf[at + 2] = (byte) v;
    }

    byte[] toByteArray() { return Arrays.copyOf(buf, len); }
}
