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
    /** Raw bytes per read from the wire at most: four maximal frames (from the shared {@link ReceiveBuffers}). */
    static final int RECEIVE_BUFFER = ReceiveBuffers.SIZE;
    /**
     * The per-connection array a read waits in when nothing is waiting on the socket (SPEC.md §4.13, §6.1): a
     * silent peer or a reader blocked in {@code read} costs this much, not a frame-sized array. Reads that find
     * bytes waiting, or follow a read that filled this array, use a shared {@link ReceiveBuffers} array instead.
     */
    static final int PROBE_BUFFER = 256;
    /** A writer stops reading ahead once this much unread application data is buffered. */
    static final int READ_AHEAD_LIMIT = 1024 * 1024;
    /** A writer peeks at the socket for the peer's frames at least once per this many bytes written... */
    static final long PEEK_BYTES = 1024 * 1024;
    /** ...and at least once per this many nanoseconds of writing (1 ms). */
    static final long PEEK_NANOS = 1_000_000L;

    private final Socket raw;
    private final EngineGate gate;
    private final EngineGate.Failer failer;
    private final Runnable scheduleFlush;
    private final ReentrantLock readLock = new ReentrantLock();
    /** Allocated on the first read that waits; small, so a waiting connection holds no frame-sized array (§4.13). */
    private byte[] probe;
    /** The last read filled its array: the peer is streaming, so the next read takes a frame-sized one. */
    private boolean streaming;
    private volatile InputStream rawIn;
    private volatile int soTimeout;
    private volatile boolean inputShut;
    /** The handshake's deadline passed while its thread waited in an untimed read: the input is shut down. */
    private volatile boolean wokenAtDeadline;
    /** The peer's TCP stream has ended (a read from the wire returned -1). */
    private volatile boolean endOfStream;
    /** An application read ran since the last {@link #readAhead}: the application is reading, no need to peek. */
    private volatile boolean applicationRead;
    /** Bytes written since the writer last peeked at the socket, and when that was (writer only). */
    private long writtenSincePeek;
    private long lastPeekNanos;

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
        applicationRead = true;
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
                // Frames wait for a key-source task (SPEC.md §4.15): its result, not the wire, makes them readable.
                long seen = gate.progressCount();
                if (gate.call(Core::isInboundPaused)) {
                    if (!gate.awaitProgress(seen, timeout > 0 ? Math.max(1, deadline - System.nanoTime()) : 0)) {
                        throw new SocketTimeoutException("Read timed out");
                    }
                    continue;
                }
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
        // Wait in the small probe array unless bytes are known to be coming (the last read filled its array): the
        // frame-sized array is the shared pool's, held only while this read has bytes to fetch (SPEC.md §4.13: a
        // silent connection stays small). No available() first: that is a system call per read, and a burst costs
        // one small read before the large ones (§6.1).
        byte[] buf = null;
        boolean large = false;
        try {
            int n;
            try {
                large = streaming;
                // about to wait with nothing on the way: the engine drops its empty frame-sized buffers (§6.1)
                if (!large) gate.run(Core::trimBuffers);
                buf = large ? ReceiveBuffers.take() : probe();
                n = rawIn.read(buf, 0, buf.length);
            } catch (SocketTimeoutException e) {
                throw e; // the session is intact: a partial frame stays in the engine
            } catch (IOException e) {
                if (gate.isClosed() && gate.failure() == null) throw new SocketException("Socket is closed");
                throw failer.fail(e); // keeps the connection's failure as the cause if another thread failed it (§6.3)
            }
            if (n < 0 && wokenAtDeadline) return; // not the peer's end of stream: the handshake's deadline passed
            streaming = n == buf.length;
            feed(buf, n);
        } finally {
            if (large) ReceiveBuffers.give(buf);
        }
    }

    /** The probe array; needs the read lock. */
    private byte[] probe() {
        byte[] b = probe;
        if (b == null) probe = b = new byte[PROBE_BUFFER];
        return b;
    }

    /**
     * After the handshake (needs the read lock). Nothing to drop any more: frame-sized arrays are only held
     * during a read (they go back to {@link ReceiveBuffers}), and the probe array is small.
     */
    void releaseBuffer() {
        streaming = false;
    }

    private void feed(byte[] buf, int n) throws IOException {
        if (n < 0) endOfStream = true;
        long now = System.nanoTime();
        gate.run(c -> {
            if (n < 0) c.receiveEnd();
            else c.receive(buf, 0, n, now);
        });
        gate.signalProgress();
        scheduleFlush.run();
    }

    /**
     * Takes in bytes that are already waiting on the socket without blocking, so that a writer that never
     * reads still processes the peer's rekey frames (SPEC.md §6.1). Called by the writer (under the write lock)
     * after each chunk of {@code written} bytes; skips if a reader is active. It asks the socket what is waiting
     * (a system call) only once {@link #PEEK_BYTES} have been written or {@link #PEEK_NANOS} have passed since
     * it last did, and not right after an application read (a side that reads takes in the peer's frames
     * itself): a bulk writer then pays one peek per megabyte instead of one per write, and a rekey answer is
     * still taken in within a millisecond or a megabyte of writing.
     */
    void readAhead(int written) throws IOException {
        long now = System.nanoTime();
        if (applicationRead) {
            applicationRead = false;
            writtenSincePeek = 0;
            lastPeekNanos = now;
            return;
        }
        writtenSincePeek += written;
        if (writtenSincePeek < PEEK_BYTES && now - lastPeekNanos < PEEK_NANOS) return;
        writtenSincePeek = 0;
        lastPeekNanos = now;
        if (rawIn.available() <= 0 || !readLock.tryLock()) return;
        try {
            int waiting = rawIn.available();
            if (waiting > 0 && gate.call(Core::available) < READ_AHEAD_LIMIT) {
                byte[] buf = ReceiveBuffers.take();
                try {
                    int n;
                    try {
                        n = rawIn.read(buf, 0, Math.min(waiting, RECEIVE_BUFFER));
                    } catch (IOException e) {
                        throw failer.fail(e);
                    }
                    feed(buf, n);
                } finally {
                    ReceiveBuffers.give(buf);
                }
            }
        } finally {
            readLock.unlock();
            gate.signalProgress();
        }
    }

    /**
     * The engine cannot send until a rekey completes: read its answer, or wait for the reader to do so. After the
     * peer's end of stream there is nothing more to read or wait for: it returns at once, and the next send
     * reports what the engine makes of the limit (SPEC.md §6.1). Like {@link #readAhead} it does not read while
     * {@link #READ_AHEAD_LIMIT} bytes of application data wait unread: it waits until the application reads them
     * (or the connection ends), so a peer that keeps sending cannot make the buffer grow without bound.
     */
    void awaitSendable() throws IOException {
        if (endOfStream) return;
        long seen = gate.progressCount(); // before the check: a read that drains the buffer meanwhile ends the wait
        if (gate.buffered() >= READ_AHEAD_LIMIT || gate.call(Core::isInboundPaused)) {
            gate.awaitProgress(seen); // paused: the key-source task's result frees the frames (§4.15)
            return;
        }
        if (readLock.tryLock()) {
            try {
                if (!endOfStream) receiveOnce();
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

    /**
     * Wakes the handshake's untimed read once a handshake deadline has passed (SPEC.md §6.2): shuts the TCP input
     * down, so that the read returns at once; {@link #receiveOnce} then returns without taking it for the peer's end
     * of stream, and the handshake fails with {@code HANDSHAKE_TIMEOUT}, sending its CLOSE.
     */
    void wakeAtDeadline() {
        wokenAtDeadline = true;
        try {
            raw.shutdownInput();
        } catch (IOException e) {
            // closed or shut already: the read has returned or will
        }
    }

    /** {@link #wakeAtDeadline} has been called. */
    boolean wokenAtDeadline() { return wokenAtDeadline; }

    /** Bytes have arrived on the wire and wait in the socket (a read now would not block). */
    boolean wireHasBytes() {
        try {
            InputStream in = rawIn;
            return in != null && in.available() > 0;
        } catch (IOException e) {
            return false; // the next read reports it
        }
    }
}
