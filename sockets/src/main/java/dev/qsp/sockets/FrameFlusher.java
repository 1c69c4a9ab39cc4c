package dev.qsp.sockets;

import dev.qsp.sockets.engine.QspEngine;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The writing side of the wire loop (SPEC.md §6.1): the write lock, held by the one thread that writes to the
 * TCP socket and drains everything the engine queued, in order, so frames reach the wire exactly as sealed.
 * Frames produced while reading (rekey answers) are written by the current writer, or else by a short-lived
 * virtual thread: a reader never blocks on a write, since with both TCP windows full two peers whose readers
 * wait to write would deadlock.
 */
final class FrameFlusher {
    /** Plaintext handed to the engine per call: four 16 KiB frames, written to the wire in one system call. */
    static final int SEND_CHUNK = 64 * 1024;

    private final EngineGate gate;
    private final EngineGate.Failer failer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    /**
     * The array the engine handed over with the last frames written; given back to the engine on the next drain,
     * so two arrays alternate and no frame is copied. Dropped after the handshake (§6.1). Write lock only.
     */
    private byte[] spare;
    private volatile OutputStream rawOut;
    private volatile boolean outputShut;

    FrameFlusher(EngineGate gate, EngineGate.Failer failer) {
        this.gate = gate;
        this.failer = failer;
    }

    void attach(OutputStream out) { rawOut = out; }

    ReentrantLock lock() { return writeLock; }

    /**
     * Sends all of {@code b[off..off+len)} (after the handshake), 64 KiB per engine call and system call. Between
     * chunks it takes in what the peer sent ({@code pump.readAhead}); at the hard record limit it waits for the
     * rekey ({@code pump.awaitSendable}) instead of failing.
     */
    void write(byte[] b, int off, int len, FramePump pump) throws IOException {
        writeLock.lock();
        try {
            int at = off;
            int left = len;
            while (left > 0) {
                if (outputShut) throw new SocketException("Socket output is shutdown");
                int from = at;
                int chunk = Math.min(left, SEND_CHUNK);
                int taken = gate.call(c -> c.send(b, from, chunk, System.nanoTime()));
                drainOutput();
                at += taken;
                left -= taken;
                if (taken == 0) pump.awaitSendable();
                else pump.readAhead(taken);
            }
        } finally {
            writeLock.unlock();
        }
        scheduleFlush();
    }

    /**
     * Drops the spare output array (after the handshake; the engine allocates what the next write needs). It only
     * ever holds frames as they went on the wire. Needs the write lock.
     */
    void releaseBuffer() {
        spare = null;
    }

    /**
     * Writes everything the engine has queued, in order, without copying it: the engine hands over the array it
     * sealed into and takes the previous one back ({@code Core.takeOutput}). Needs the write lock. A frame a
     * reader queues meanwhile is flushed by {@link #scheduleFlush}, which the reader calls.
     */
    void drainOutput() throws IOException {
        byte[] give = spare;
        QspEngine.OutputChunk chunk = gate.call(c -> c.takeOutput(give));
        if (chunk == null) return;
        spare = chunk.array();
        try {
            rawOut.write(chunk.array(), chunk.offset(), chunk.length());
        } catch (IOException e) {
            if (gate.isClosed() && gate.failure() == null) throw new SocketException("Socket is closed");
            throw failer.fail(e); // keeps the connection's failure as the cause if another thread failed it (§6.3)
        }
    }

    /** Best-effort drain of a failing or closing connection (its CLOSE); needs the write lock. */
    void drainQuietly() {
        try {
            QspEngine.OutputChunk chunk;
            while (rawOut != null && (chunk = gate.takeOutputQuietly(spare)) != null) {
                spare = chunk.array();
                rawOut.write(chunk.array(), chunk.offset(), chunk.length());
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort: the peer may already be gone
        }
    }

    /**
     * Gets queued output onto the wire when no writer will: the current writer drains after each chunk and
     * calls this after unlocking; anyone else hands the job to a virtual thread rather than block on a write.
     */
    void scheduleFlush() {
        if (writeLock.isHeldByCurrentThread() || gate.isClosed() || gate.failure() != null) return;
        if (!gate.hasPendingOutput()) return;
        if (flushScheduled.compareAndSet(false, true)) {
            Thread.ofVirtual().name("qsp-flush").start(this::flushTask);
        }
    }

    private void flushTask() {
        writeLock.lock();
        try {
            flushScheduled.set(false);
            drainOutput();
        } catch (IOException e) {
            // recorded by fail(); the application sees it on its next read or write
        } finally {
            writeLock.unlock();
        }
        scheduleFlush();
    }

    /**
     * Drains what a failing connection queued (its CLOSE) once the writer holding the wire lets go of it (it
     * fails at its next engine call), waiting at most {@code millis}.
     */
    void drainWhenFree(long millis) {
        if (tryLockFor(millis)) {
            try {
                drainQuietly();
            } finally {
                writeLock.unlock();
            }
        }
    }

    /** Drains what a failing connection queued (its CLOSE) if no writer holds the wire. */
    void drainIfFree() {
        if (writeLock.tryLock()) {
            try {
                drainQuietly();
            } finally {
                writeLock.unlock();
            }
        }
    }

    /** Half-close (after the handshake): sends the authenticated CLOSE, then {@code fin} (the TCP FIN). */
    void shutdownOutput(SocketAction fin) throws IOException {
        if (outputShut) return;
        writeLock.lock();
        try {
            gate.run(Core::closeOutbound);
            drainOutput();
            outputShut = true;
            fin.run();
        } finally {
            writeLock.unlock();
        }
    }

    interface SocketAction {
        void run() throws IOException;
    }

    boolean isOutputShut() { return outputShut; }

    /** The write lock, waiting at most {@code millis} for a write in progress; false if it did not come. */
    boolean tryLockFor(long millis) {
        try {
            return writeLock.tryLock(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
