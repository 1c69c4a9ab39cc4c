package dev.qsp.sockets.engine;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable FIFO of bytes over one array: frames are sealed directly into it ({@link #reserve}) and read out of
 * it without intermediate copies. Compacts instead of growing when the consumed prefix is large enough.
 *
 * <p>The array is allocated on first use (at least {@code initialCapacity}, or what the first write needs) and
 * can be dropped again with {@link #release} while the queue is empty, so that an idle connection holds no
 * frame-sized buffers (SPEC.md §4.15).
 */
final class ByteQueue {
    private static final byte[] NONE = new byte[0];

    private final int initialCapacity;
    private byte[] buf = NONE;
    private int start;
    private int end;

    ByteQueue(int initialCapacity) { this.initialCapacity = initialCapacity; }

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
                byte[] nb = new byte[Math.max(Math.max(buf.length * 2, initialCapacity), live + n)];
                System.arraycopy(buf, start, nb, 0, live);
                Arrays.fill(buf, (byte) 0); // may have held plaintext
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

    /**
     * Gives the array away with its bytes (read {@link #start()} and {@link #size()} first) and goes on, empty,
     * over {@code replacement} (null: allocate on next use). Lets a writer take sealed frames without a copy.
     */
    byte[] handOver(byte[] replacement) {
        byte[] b = buf;
        buf = replacement == null ? NONE : replacement;
        start = 0;
        end = 0;
        return b;
    }

    /** The bytes of array this queue holds now (0 when it has none). */
    int capacity() { return buf.length; }

    /** If the queue is empty, erases and drops its array; the next write allocates a new one. */
    void release() {
        if (start == end && buf != NONE) {
            Arrays.fill(buf, (byte) 0);
            buf = NONE;
            start = 0;
            end = 0;
        }
    }

    /** As {@link #release}, but only an array larger than {@code keep} bytes: small ones are worth keeping. */
    void releaseIfLarger(int keep) {
        if (buf.length > keep) release();
    }

    /** Overwrites and forgets everything (plaintext must not linger after close), and drops the array. */
    void clear() {
        Arrays.fill(buf, (byte) 0);
        buf = NONE;
        start = 0;
        end = 0;
    }
}
