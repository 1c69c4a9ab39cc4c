package dev.qsp.sockets;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The only I/O loop around the single-threaded engine (SPEC.md §6.1): the wire, its locks and the engine
 * behind them, for one {@link QspSocket}.
 *
 * <p>One read lock (one reader on the wire at a time), one write lock (frames reach the wire in the order the
 * engine sealed them) and an engine lock that is never held across blocking I/O. Locks are
 * {@link ReentrantLock}s, so virtual threads blocked here do not pin their carrier. A frame produced while
 * reading (a rekey answer) is sent by the current writer if there is one, else by a short-lived virtual
 * thread, so a reader never blocks on a write: with both TCP windows full, a reader blocked on a write would
 * deadlock the two peers.
 *
 * <p>Completing a rekey needs the peer's answer. A write therefore also reads whatever bytes are already
 * waiting on the socket (without blocking, up to {@value #READ_AHEAD_LIMIT} bytes of unread application data),
 * so a write-only side keeps rekeying, and at the hard record limit it waits for the rekey instead of failing.
 */
final class WireLoop {
    /** Plaintext handed to the engine per call: four 16 KiB frames, written to the wire in one system call. */
    static final int SEND_CHUNK = 64 * 1024;
    /** Raw bytes per read from the wire: four maximal frames (buffers are per connection: keep them modest). */
    static final int RECEIVE_BUFFER = 64 * 1024;
    /** Sealed bytes per write to the wire. */
    static final int OUTPUT_BUFFER = SEND_CHUNK + 8 * 1024;
    /** A writer stops reading ahead once this much unread application data is buffered. */
    static final int READ_AHEAD_LIMIT = 1024 * 1024;

    private final QspContext context;
    private final boolean clientMode;
    private final Socket raw;
    private final boolean autoClose;

    private final ReentrantLock handshakeLock = new ReentrantLock();
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock engineLock = new ReentrantLock();
    /** Signalled (under engineLock) whenever the engine has taken in new bytes or a reader has left. */
    private final Condition progress = engineLock.newCondition();
    private long progressCount;
    private long reportedRekeys;
    private Core core;

    private volatile boolean handshakeDone;
    private volatile QspSession lastSession;
    private volatile IOException failure;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private volatile boolean inputShut;
    private volatile boolean outputShut;
    private volatile int soTimeout;
    private volatile InputStream rawIn;
    private volatile OutputStream rawOut;
    private final byte[] receiveBuffer = new byte[RECEIVE_BUFFER];
    private final byte[] outputBuffer = new byte[OUTPUT_BUFFER];

    WireLoop(QspContext context, boolean clientMode, Socket raw, boolean autoClose) throws IOException {
        this.context = context;
        this.clientMode = clientMode;
        this.raw = raw;
        this.autoClose = autoClose;
        this.soTimeout = raw.getSoTimeout();
        if (raw.isConnected()) attachStreams();
    }

    /** Takes the TCP streams once the socket is connected. */
    void attachStreams() throws IOException {
        rawIn = raw.getInputStream();
        rawOut = raw.getOutputStream();
    }

    // ---------------------------------------------------------------- handshake

    /**
     * Runs the handshake unless it ran already; other threads wait for it. Returns true if this call completed
     * it. A {@link SocketTimeoutException} (soTimeout) leaves it resumable; the context's handshake deadline fails
     * it with {@link QspHandshakeException} (SPEC.md §6.2).
     */
    boolean handshake(String expectedPeerIdentity) throws IOException {
        if (handshakeDone) return false;
        checkUsable();
        handshakeLock.lock();
        try {
            if (handshakeDone) return false;
            checkUsable();
            readLock.lock();
            writeLock.lock();
            try {
                runHandshake(expectedPeerIdentity);
                return true;
            } finally {
                writeLock.unlock();
                readLock.unlock();
            }
        } finally {
            handshakeLock.unlock();
        }
    }

    boolean isHandshakeDone() { return handshakeDone; }

    private void runHandshake(String expectedPeerIdentity) throws IOException {
        if (rawIn == null) throw new SocketException("Socket is not connected");
        IOException startError = null;
        engineLock.lock();
        try {
            if (core == null) {
                core = EngineCore.create(context, clientMode, expectedPeerIdentity);
                core.start(System.nanoTime());
            }
        } catch (IOException e) {
            startError = e;
        } finally {
            engineLock.unlock();
        }
        if (startError != null) throw fail(startError);
        long deadline = handshakeDeadline();
        while (true) {
            drainOutput();
            if (engine(Core::isHandshakeComplete)) break;
            long remainingMs = Math.ceilDiv(deadline - System.nanoTime(), 1_000_000L);
            if (remainingMs <= 0) {
                engineAction(c -> c.tick(System.nanoTime()));
                throw fail(new QspHandshakeException(QspError.HANDSHAKE_TIMEOUT, "no handshake within "
                        + context.handshakeTimeout().toMillis() + " ms"));
            }
            int user = soTimeout;
            boolean userLimited = user > 0 && user < remainingMs;
            raw.setSoTimeout((int) Math.min(Integer.MAX_VALUE, userLimited ? user : remainingMs));
            try {
                receiveOnce();
            } catch (SocketTimeoutException e) {
                if (userLimited) throw e;
                // the handshake deadline passed: the next turn reports it
            } finally {
                if (!closed.get() && failure == null) raw.setSoTimeout(soTimeout);
            }
        }
        handshakeDone = true;
    }

    private long handshakeStartNanos = Long.MIN_VALUE;

    /** The deadline counts from the first handshake attempt, so a resumed handshake keeps the same bound. */
    private long handshakeDeadline() {
        if (handshakeStartNanos == Long.MIN_VALUE) handshakeStartNanos = System.nanoTime();
        return handshakeStartNanos + context.handshakeTimeout().toNanos();
    }

    /** The session now (after the handshake); after the connection ended, the last one seen. */
    QspSession session() throws IOException {
        QspSession last = lastSession;
        if (last != null && (closed.get() || failure != null)) return last;
        QspSession s = engine(Core::session);
        lastSession = s;
        return s;
    }

    /** Asks the engine for a rekey (after the handshake); false if one is in flight (SPEC.md §4.10). */
    boolean requestRekey(boolean fresh) throws IOException {
        boolean started = engine(c -> c.requestRekey(fresh, System.nanoTime()));
        scheduleFlush();
        return started;
    }

    // ---------------------------------------------------------------- data path

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
                int n = engine(c -> c.read(b, off, len));
                if (n > 0) return n;
                if (engine(Core::isInboundClosed)) return -1;
                if (timeout > 0) {
                    long left = Math.ceilDiv(deadline - System.nanoTime(), 1_000_000L);
                    if (left <= 0) throw new SocketTimeoutException("Read timed out");
                    raw.setSoTimeout((int) left);
                }
                receiveOnce();
            }
        } finally {
            if (timeout > 0 && !closed.get() && failure == null) raw.setSoTimeout(soTimeout);
            readLock.unlock();
            signalProgress();
        }
    }

    /** Authenticated application bytes a read returns without blocking. */
    int available() throws IOException {
        if (!handshakeDone || inputShut) return 0;
        return engine(Core::available);
    }

    /** Sends all of {@code b[off..off+len)} (after the handshake), 64 KiB per engine call and system call. */
    void write(byte[] b, int off, int len) throws IOException {
        writeLock.lock();
        try {
            int at = off;
            int left = len;
            while (left > 0) {
                if (outputShut) throw new SocketException("Socket output is shutdown");
                int from = at;
                int chunk = Math.min(left, SEND_CHUNK);
                int taken = engine(c -> c.send(b, from, chunk, System.nanoTime()));
                drainOutput();
                at += taken;
                left -= taken;
                if (taken == 0) awaitSendable();
                else readAhead();
            }
        } finally {
            writeLock.unlock();
        }
        scheduleFlush();
    }

    /** Reads once from the wire (blocking, honouring soTimeout) and gives the bytes to the engine. Needs readLock. */
    private void receiveOnce() throws IOException {
        int n;
        try {
            n = rawIn.read(receiveBuffer, 0, receiveBuffer.length);
        } catch (SocketTimeoutException e) {
            throw e; // the session is intact: a partial frame stays in the engine
        } catch (IOException e) {
            if (closed.get()) throw new SocketException("Socket is closed");
            throw fail(e);
        }
        feed(n);
    }

    private void feed(int n) throws IOException {
        long now = System.nanoTime();
        engineAction(c -> {
            if (n < 0) c.receiveEnd();
            else c.receive(receiveBuffer, 0, n, now);
        });
        signalProgress();
        scheduleFlush();
    }

    /**
     * Takes in bytes that are already waiting on the socket without blocking, so that a writer that never
     * reads still processes the peer's rekey frames. Needs writeLock; skips if a reader is active.
     */
    private void readAhead() throws IOException {
        if (rawIn.available() <= 0 || !readLock.tryLock()) return;
        try {
            int waiting = rawIn.available();
            if (waiting > 0 && engine(Core::available) < READ_AHEAD_LIMIT) {
                int n;
                try {
                    n = rawIn.read(receiveBuffer, 0, Math.min(waiting, receiveBuffer.length));
                } catch (IOException e) {
                    throw fail(e);
                }
                feed(n);
            }
        } finally {
            readLock.unlock();
            signalProgress();
        }
    }

    /** The engine cannot send until a rekey completes: read its answer, or wait for the reader to do so. */
    private void awaitSendable() throws IOException {
        long seen = engine(c -> progressCount);
        if (readLock.tryLock()) {
            try {
                receiveOnce();
            } finally {
                readLock.unlock();
                signalProgress();
            }
            return;
        }
        engineLock.lock();
        try {
            while (progressCount == seen && failure == null && !closed.get()) progress.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a rekey to complete");
        } finally {
            engineLock.unlock();
        }
    }

    private void signalProgress() {
        engineLock.lock();
        try {
            progressCount++;
            progress.signalAll();
        } finally {
            engineLock.unlock();
        }
    }

    /** Writes everything the engine has queued, in order. Needs writeLock. */
    private void drainOutput() throws IOException {
        while (true) {
            int n = engine(c -> c.takeOutput(outputBuffer, 0, outputBuffer.length));
            if (n == 0) return;
            try {
                rawOut.write(outputBuffer, 0, n);
            } catch (IOException e) {
                if (closed.get()) throw new SocketException("Socket is closed");
                throw fail(e);
            }
        }
    }

    /**
     * Gets queued output onto the wire when no writer will: the current writer drains after each chunk and
     * calls this after unlocking; anyone else hands the job to a virtual thread rather than block on a write.
     */
    private void scheduleFlush() {
        if (writeLock.isHeldByCurrentThread() || closed.get() || failure != null) return;
        if (!hasPendingOutput()) return;
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

    private boolean hasPendingOutput() {
        engineLock.lock();
        try {
            return core != null && failure == null && core.pendingOutput() > 0;
        } finally {
            engineLock.unlock();
        }
    }

    /** The session if rekeys completed since the last call, else null (for the rekey listeners). */
    QspSession newRekeys() {
        if (!handshakeDone) return null;
        engineLock.lock();
        try {
            if (core == null || failure != null || closed.get()) return null;
            long n = core.rekeyCount();
            if (n == reportedRekeys) return null;
            reportedRekeys = n;
            lastSession = core.session();
            return lastSession;
        } finally {
            engineLock.unlock();
        }
    }

    // ---------------------------------------------------------------- engine access and failure

    private interface EngineFunction<T> {
        T apply(Core c) throws IOException;
    }

    private interface EngineAction {
        void apply(Core c) throws IOException;
    }

    /** Calls the engine under the engine lock; an engine error fails the connection after the lock is released. */
    private <T> T engine(EngineFunction<T> f) throws IOException {
        IOException error;
        engineLock.lock();
        try {
            checkUsable();
            return f.apply(core);
        } catch (IOException e) {
            error = e;
        } finally {
            engineLock.unlock();
        }
        throw fail(error);
    }

    private void engineAction(EngineAction a) throws IOException {
        engine(c -> {
            a.apply(c);
            return null;
        });
    }

    private void checkUsable() throws IOException {
        IOException f = failure;
        if (f != null) throw rethrown(f);
        if (closed.get()) throw new SocketException("Socket is closed");
    }

    /**
     * Fails the connection once (JSSE's {@code fatal} shape: callers write {@code throw fail(e)}): remembers
     * why, sends the CLOSE the engine queued for the error if the wire is free, erases the keys and closes the
     * TCP connection. A stored failure is reported again, as a new exception, by every later call.
     */
    private IOException fail(IOException e) {
        if (e instanceof SocketTimeoutException || failure != null || closed.get()) return e;
        engineLock.lock();
        try {
            if (failure != null) return e;
            failure = e;
        } finally {
            engineLock.unlock();
        }
        if (writeLock.tryLock()) {
            try {
                drainQuietly();
            } finally {
                writeLock.unlock();
            }
        }
        engineLock.lock();
        try {
            if (core != null) core.destroy();
            progress.signalAll();
        } finally {
            engineLock.unlock();
        }
        closeRawQuietly();
        return e;
    }

    private void drainQuietly() {
        try {
            while (rawOut != null) {
                int n;
                engineLock.lock();
                try {
                    n = core == null ? 0 : core.takeOutput(outputBuffer, 0, outputBuffer.length);
                } finally {
                    engineLock.unlock();
                }
                if (n == 0) return;
                rawOut.write(outputBuffer, 0, n);
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort: the peer may already be gone
        }
    }

    private static IOException rethrown(IOException f) {
        if (f instanceof QspHandshakeException h) {
            return new QspHandshakeException(h.error(), "the handshake failed earlier", h.isRemote(), h);
        }
        if (f instanceof QspProtocolException p) {
            return new QspProtocolException(p.error(), "the connection failed earlier", p.isRemote(), p);
        }
        SocketException s = new SocketException("the connection failed earlier: " + f);
        s.initCause(f);
        return s;
    }

    private void closeRawQuietly() {
        if (!autoClose) return;
        try {
            raw.close();
        } catch (IOException ignored) {
            // nothing more to do for a connection that is gone
        }
    }

    // ---------------------------------------------------------------- close

    /**
     * Sends the authenticated CLOSE (if the handshake completed and output is still open), erases the keys and
     * closes the TCP connection (for a layered socket, only if it was created with {@code autoClose}). A reader
     * blocked on this socket gets a {@link SocketException}.
     *
     * <p>After a CLOSE the TCP socket is closed by a lingering virtual thread (SPEC.md §6.3): it sends FIN and
     * discards what the peer still sends until the peer's end of stream or {@value #LINGER_MILLIS} ms. Closing a
     * TCP socket with unread bytes makes the kernel send a reset, which can destroy data the peer has not read
     * yet; a QSP peer sends such bytes (its rekey answers) even to a program that never reads.
     */
    void close() throws IOException {
        if (!closed.compareAndSet(false, true)) return;
        boolean closeSent = outputShut;
        try {
            if (handshakeDone && failure == null && !outputShut && acquireWriteLockForClose()) {
                try {
                    engineLock.lock();
                    try {
                        core.closeOutbound();
                    } finally {
                        engineLock.unlock();
                    }
                    drainQuietly();
                    closeSent = true;
                } catch (IOException ignored) {
                    // closing anyway
                } finally {
                    writeLock.unlock();
                }
            }
        } finally {
            engineLock.lock();
            try {
                if (core != null) core.destroy();
                progress.signalAll();
            } finally {
                engineLock.unlock();
            }
            if (autoClose) {
                // With closed set, a reader that takes the read lock from now on fails before touching the wire,
                // so once the lock is free the lingering thread is the wire's only reader.
                if (closeSent && failure == null && readLock.tryLock()) {
                    readLock.unlock();
                    Thread.ofVirtual().name("qsp-linger").start(this::lingerThenClose);
                } else {
                    raw.close();
                }
            }
        }
    }

    /** How long close() waits for a write in progress to finish, so that its CLOSE follows the last frame. */
    static final int CLOSE_WAIT_MILLIS = 2000;

    /**
     * The write lock for sending CLOSE. Usually free or held for a moment (a flush of rekey frames); an
     * application write blocked on a peer that does not read may hold it indefinitely, and then the
     * connection closes without CLOSE after {@value #CLOSE_WAIT_MILLIS} ms rather than hang.
     */
    private boolean acquireWriteLockForClose() {
        try {
            return writeLock.tryLock(CLOSE_WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** How long a closed socket waits for the peer's end of stream before closing TCP. */
    static final int LINGER_MILLIS = 5000;

    private void lingerThenClose() {
        try {
            if (!raw.isOutputShutdown()) raw.shutdownOutput();
            raw.setSoTimeout(LINGER_MILLIS);
            long deadline = System.nanoTime() + LINGER_MILLIS * 1_000_000L;
            byte[] discard = new byte[8192];
            while (System.nanoTime() - deadline < 0 && rawIn.read(discard) >= 0) {
                // what the peer sends after our CLOSE is not delivered to anyone (SPEC.md §4.11)
            }
        } catch (IOException ignored) {
            // timeout or reset: close now
        } finally {
            try {
                raw.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }

    /** Half-close (after the handshake): sends the authenticated CLOSE and a TCP FIN. */
    void shutdownOutput() throws IOException {
        if (outputShut) return;
        writeLock.lock();
        try {
            engineAction(Core::closeOutbound);
            drainOutput();
            outputShut = true;
            raw.shutdownOutput();
        } finally {
            writeLock.unlock();
        }
    }

    /** Stops reading locally: later reads return -1. */
    void shutdownInput() throws IOException {
        inputShut = true;
        raw.shutdownInput();
    }

    boolean isInputShutdown() { return inputShut || raw.isInputShutdown(); }

    boolean isOutputShutdown() { return outputShut || raw.isOutputShutdown(); }

    boolean isClosed() { return closed.get() || (autoClose && raw.isClosed()); }

    // ---------------------------------------------------------------- timeouts

    /** Sets the read timeout of the wire (the handshake lowers it temporarily to its own deadline). */
    void setSoTimeout(int timeout) throws SocketException {
        raw.setSoTimeout(timeout);
        soTimeout = timeout;
    }

    int getSoTimeout() { return soTimeout; }

    /** The connection's state for {@code toString}. */
    String state() {
        return failure != null ? "failed" : closed.get() ? "closed" : handshakeDone ? "established" : "new";
    }
}
