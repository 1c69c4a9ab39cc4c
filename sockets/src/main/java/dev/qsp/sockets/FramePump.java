package dev.qsp.sockets;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The reading side of the wire loop (SPEC.md §6.1): the read lock, held by the one thread that reads from the
 * TCP socket, and the pump that moves the peer's bytes into the engine. Application reads block here; a writer
 * uses {@link #readAhead} and {@link #awaitSendable} so that a side that only writes still completes rekeys.
 */
final class FramePump {
    /** Raw bytes per read from the wire: four maximal frames (buffers are per connection: keep them modest). */
    static final int RECEIVE_BUFFER = 64 * 1024;
    /** A writer stops reading ahead once this much unread application data is buffered. */
    static final int READ_AHEAD_LIMIT = 1024 * 1024;

    private final Socket raw;
    private final EngineGate gate;
    private final EngineGate.Failer failer;
    private final Runnable scheduleFlush;
    private final ReentrantLock readLock = new ReentrantLock();
    private final byte[] receiveBuffer = new byte[RECEIVE_BUFFER];
    private volatile InputStream rawIn;
    private volatile int soTimeout;
    private volatile boolean inputShut;

    /** @param scheduleFlush gets frames produced while reading (rekey answers) onto the wire without blocking */
    FramePump(Socket raw, EngineGate gate, EngineGate.Failer failer, Runnable scheduleFlush) throws SocketException {
        this.raw = raw;
        this.gate = gate;
        this.failer = failer;
        this.scheduleFlush = scheduleFlush;
        this.soTimeout = raw.getSoTimeout();
    }

    void attach(InputStream in) { rawIn = in; }

    boolean isAttached() { return rawIn != null; }

    InputStream rawIn() { return rawIn; }

    ReentrantLock lock() { return readLock; }

    /** Reads authenticated application data (after the handshake): at least one byte, or -1 after CLOSE. */
    int read(byte[] b, int off, int len) throws IOException {
        readLock.lock();
        int timeout = soTimeout;
        // soTimeout bounds the whole call, not each read from the wire: frames that carry no application data
        // (rekey messages) must not extend it
        long deadline = System.nanoTime() + timeout * 1_000_000L;
        try {
            while (true) {
                if (inputShut) return -1;
                int n = gate.readBuffered(b, off, len);
                if (n > 0) return n;
                if (gate.call(Core::isInboundClosed)) return -1;
                if (timeout > 0) {
                    long left = Math.ceilDiv(deadline - System.nanoTime(), 1_000_000L);
                    if (left <= 0) throw new SocketTimeoutException("Read timed out");
                    raw.setSoTimeout((int) left);
                }
                try {
                    receiveOnce();
                } catch (SocketTimeoutException e) {
                    throw e;
                } catch (IOException e) {
                    // bytes authenticated before the failure are delivered first; the next read reports it
                    if (gate.buffered() == 0) throw e;
                }
            }
        } finally {
            if (timeout > 0 && !gate.isClosed() && gate.failure() == null) raw.setSoTimeout(soTimeout);
            readLock.unlock();
            gate.signalProgress();
        }
    }

    /** Authenticated application bytes a read returns without blocking (after the handshake). */
    int available() throws IOException {
        if (inputShut) return 0;
        if (gate.failure() != null) return gate.buffered();
        return gate.call(Core::available);
    }

    /** Reads once from the wire (blocking, honouring soTimeout) and gives the bytes to the engine. Needs the lock. */
    void receiveOnce() throws IOException {
        int n;
        try {
            n = rawIn.read(receiveBuffer, 0, receiveBuffer.length);
        } catch (SocketTimeoutException e) {
            throw e; // the session is intact: a partial frame stays in the engine
        } catch (IOException e) {
            if (gate.isClosed()) throw new SocketException("Socket is closed");
            throw failer.fail(e);
        }
        feed(n);
    }

    private void feed(int n) throws IOException {
        long now = System.nanoTime();
        gate.run(c -> {
            if (n < 0) c.receiveEnd();
            else c.receive(receiveBuffer, 0, n, now);
        });
        gate.signalProgress();
        scheduleFlush.run();
    }

    /**
     * Takes in bytes that are already waiting on the socket without blocking, so that a writer that never
     * reads still processes the peer's rekey frames. Called by the writer; skips if a reader is active.
     */
    void readAhead() throws IOException {
        if (rawIn.available() <= 0 || !readLock.tryLock()) return;
        try {
            int waiting = rawIn.available();
            if (waiting > 0 && gate.call(Core::available) < READ_AHEAD_LIMIT) {
                int n;
                try {
                    n = rawIn.read(receiveBuffer, 0, Math.min(waiting, receiveBuffer.length));
                } catch (IOException e) {
                    throw failer.fail(e);
                }
                feed(n);
            }
        } finally {
            readLock.unlock();
            gate.signalProgress();
        }
    }

    /** The engine cannot send until a rekey completes: read its answer, or wait for the reader to do so. */
    void awaitSendable() throws IOException {
        long seen = gate.progressCount();
        if (readLock.tryLock()) {
            try {
                receiveOnce();
            } finally {
                readLock.unlock();
                gate.signalProgress();
            }
            return;
        }
        gate.awaitProgress(seen);
    }

    /** Stops reading locally: later reads return -1. */
    void shutdownInput() throws IOException {
        inputShut = true;
        raw.shutdownInput();
    }

    boolean isInputShut() { return inputShut; }

    /** Sets the read timeout of the wire (the handshake lowers it temporarily to its own deadline). */
    void setSoTimeout(int timeout) throws SocketException {
        raw.setSoTimeout(timeout);
        soTimeout = timeout;
    }

    int soTimeout() { return soTimeout; }
}
