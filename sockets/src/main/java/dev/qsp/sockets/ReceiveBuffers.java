package dev.qsp.sockets;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The frame-sized receive arrays of the socket shell, shared by all connections (SPEC.md §6.1, §4.13): a
 * connection takes one only for a read that has bytes to fetch and gives it back as soon as the engine has taken
 * them in, so a connection that waits (a silent peer, a reader blocked in {@code read}) holds only its small
 * probe array. They only ever hold bytes as they came off the wire (handshake messages and ciphertext), so they
 * need no erasing. At most {@link #MAX_POOLED} arrays are kept; more are allocated when more connections read at
 * the same moment and dropped when they come back to a full pool.
 */
final class ReceiveBuffers {
    /** Bytes per array: four maximal frames, the most one read from the wire takes. */
    static final int SIZE = 64 * 1024;
    static final int MAX_POOLED = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private static final ConcurrentLinkedQueue<byte[]> POOL = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger POOLED = new AtomicInteger();

    private ReceiveBuffers() {}

    static byte[] take() {
        byte[] b = POOL.poll();
        if (b == null) return new byte[SIZE];
        POOLED.decrementAndGet();
        return b;
    }

    static void give(byte[] b) {
        if (b == null || b.length != SIZE) return;
        if (POOLED.incrementAndGet() <= MAX_POOLED) {
            POOL.offer(b);
        } else {
            POOLED.decrementAndGet();
        }
    }
}
