package dev.qsp.sockets;

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
    /** Sealed bytes per write to the wire. */
    static final int OUTPUT_BUFFER = SEND_CHUNK + 8 * 1024;

    private final EngineGate gate;
    private final EngineGate.Failer failer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final byte[] outputBuffer = new byte[OUTPUT_BUFFER];
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
                else pump.readAhead();
            }
        } finally {
            writeLock.unlock();
        }
        scheduleFlush();
    }

    /** Writes everything the engine has queued, in order. Needs the write lock. */
    void drainOutput() throws IOException {
        while (true) {
            int n = gate.call(c -> c.takeOutput(outputBuffer, 0, outputBuffer.length));
            if (n == 0) return;
            try {
                rawOut.write(outputBuffer, 0, n);
            } catch (IOException e) {
                if (gate.isClosed()) throw new SocketException("Socket is closed");
                throw failer.fail(e);
            }
        }
    }

    /** Best-effort drain of a failing or closing connection (its CLOSE); needs the write lock. */
    void drainQuietly() {
        try {
            while (rawOut != null) {
                int n = gate.takeOutputQuietly(outputBuffer);
                if (n == 0) return;
                rawOut.write(outputBuffer, 0, n);
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
