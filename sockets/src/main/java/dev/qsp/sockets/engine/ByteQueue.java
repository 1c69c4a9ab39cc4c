package dev.qsp.sockets.engine;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable FIFO of bytes over one array: frames are sealed directly into it ({@link #reserve}) and read out of
 * it without intermediate copies. Compacts instead of growing when the consumed prefix is large enough.
 */
final class ByteQueue {
    private byte[] buf;
    private int start;
    private int end;

    ByteQueue(int capacity) { buf = new byte[capacity]; }

    int size() { return end - start; }

    byte[] array() { return buf; }

    int start() { return start; }

    /** Makes room for {@code n} more bytes and returns the offset where they go; call {@link #commit} after. */
    int reserve(int n) {
        if (buf.length - end < n) {
            int live = end - start;
            if (start > 0 && buf.length - live >= n && start >= live) {
                System.arraycopy(buf, start, buf, 0, live);
            } else {
                byte[] nb = new byte[Math.max(buf.length * 2, live + n)];
                System.arraycopy(buf, start, nb, 0, live);
                buf = nb;
            }
            start = 0;
            end = live;
        }
        return end;
    }

    void commit(int n) { end += n; }

    void write(byte[] src, int off, int len) {
        int at = reserve(len);
        System.arraycopy(src, off, buf, at, len);
        end += len;
    }

    void write(ByteBuffer src) {
        int len = src.remaining();
        int at = reserve(len);
        src.get(buf, at, len);
        end += len;
    }

    int read(byte[] dst, int off, int len) {
        int n = Math.min(len, size());
        System.arraycopy(buf, start, dst, off, n);
        skip(n);
        return n;
    }

    int read(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), size());
        dst.put(buf, start, n);
        skip(n);
        return n;
    }

    void skip(int n) {
        start += n;
        if (start == end) {
            start = 0;
            end = 0;
        }
    }

    /** Overwrites and forgets everything (plaintext must not linger after close). */
    void clear() {
        Arrays.fill(buf, (byte) 0);
        start = 0;
        end = 0;
    }
}
