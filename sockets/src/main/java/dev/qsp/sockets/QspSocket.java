package dev.qsp.sockets;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A socket that runs QSP over a plain TCP socket (SPEC.md §6). It behaves as {@code java.net.Socket} and
 * {@code javax.net.ssl.SSLSocket} users expect: the handshake runs on the first read or write or on
 * {@link #startHandshake()}; {@code read} returns -1 only after the peer's authenticated CLOSE (an end of stream
 * without it is a truncation error); {@link #setSoTimeout} is honoured and a timeout leaves the session usable;
 * one thread may read while another writes; {@link #shutdownOutput()} is a half-close; {@link #close()} sends
 * CLOSE. Rekeys happen inside reads and writes without the application noticing.
 *
 * <p><b>Threads.</b> This class is the only I/O loop around the single-threaded engine: one read lock (one
 * reader on the wire at a time), one write lock (frames reach the wire in the order the engine sealed them) and
 * an engine lock that is never held across blocking I/O. Locks are {@link ReentrantLock}s, so virtual threads
 * blocked here do not pin their carrier. A frame produced while reading (a rekey answer) is sent by the
 * current writer if there is one, else by a short-lived virtual thread, so a reader never blocks on a write:
 * with both TCP windows full, a reader blocked on a write would deadlock the two peers.
 *
 * <p><b>Writers that never read.</b> Completing a rekey needs the peer's answer. A write therefore also reads
 * whatever bytes are already waiting on the socket (without blocking, up to {@value #READ_AHEAD_LIMIT}
 * bytes of unread application data), so a write-only side keeps rekeying.
 */
public class QspSocket extends DelegatingSocket {
    /** Plaintext handed to the engine per call: four 16 KiB frames, written to the wire in one system call. */
    static final int SEND_CHUNK = 64 * 1024;
    /** Raw bytes per read from the wire: several maximal frames. */
    static final int RECEIVE_BUFFER = 128 * 1024;
    /** Sealed bytes per write to the wire. */
    static final int OUTPUT_BUFFER = SEND_CHUNK + 8 * 1024;
    /** A writer stops reading ahead once this much unread application data is buffered. */
    static final int READ_AHEAD_LIMIT = 1024 * 1024;

    /** Called once when the handshake completes, on the thread that completed it. */
    @FunctionalInterface
    public interface HandshakeListener {
        void handshakeCompleted(QspSocket socket, QspSession session);
    }

    /** Called after rekeys complete, on the thread whose read or write completed them; must not block. */
    @FunctionalInterface
    public interface RekeyListener {
        void rekeyed(QspSocket socket, QspSession session);
    }

    private final QspContext context;
    private final boolean clientMode;
    private final boolean autoClose;
    private volatile String peerHost;

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
    private InputStream rawIn;
    private OutputStream rawOut;
    private final byte[] receiveBuffer = new byte[RECEIVE_BUFFER];
    private final byte[] outputBuffer = new byte[OUTPUT_BUFFER];
    private final List<HandshakeListener> handshakeListeners = new CopyOnWriteArrayList<>();
    private final List<RekeyListener> rekeyListeners = new CopyOnWriteArrayList<>();
    private final InputStream in = new QspInputStream();
    private final OutputStream out = new QspOutputStream();

    private QspSocket(QspContext context, boolean clientMode, Socket raw, boolean autoClose, String peerHost)
            throws IOException {
        super(raw);
        this.context = context;
        this.clientMode = clientMode;
        this.autoClose = autoClose;
        this.peerHost = peerHost;
        this.soTimeout = raw.getSoTimeout();
        if (raw.isConnected()) attachStreams();
    }

    static QspSocket unconnectedClient(QspContext context) throws IOException {
        return new QspSocket(context, true, new Socket(), true, null);
    }

    static QspSocket layeredClient(QspContext context, Socket raw, String host, boolean autoClose)
            throws IOException {
        return new QspSocket(context, true, raw, autoClose, host);
    }

    static QspSocket accepted(QspContext context, Socket raw) throws IOException {
        return new QspSocket(context, false, raw, true, null);
    }

    private void attachStreams() throws IOException {
        rawIn = raw.getInputStream();
        rawOut = raw.getOutputStream();
    }

    /** The context this socket was made from. */
    public QspContext getContext() { return context; }

    /** True for the client side of the handshake. */
    public boolean getUseClientMode() { return clientMode; }

    // ---------------------------------------------------------------- connection

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (!clientMode) throw new SocketException("an accepted QSP socket is already connected");
        if (peerHost == null && endpoint instanceof java.net.InetSocketAddress isa) peerHost = isa.getHostString();
        raw.connect(endpoint, timeout);
        attachStreams();
    }

    // ---------------------------------------------------------------- handshake

    /**
     * Runs the handshake now if it has not run yet (otherwise returns at once). Other threads that need the
     * handshake wait for it. A {@link SocketTimeoutException} (from {@link #setSoTimeout}) leaves the handshake
     * resumable; the handshake deadline of the context fails it with {@link QspHandshakeException}.
     */
    public void startHandshake() throws IOException {
        if (handshakeDone) return;
        checkUsable();
        handshakeLock.lock();
        try {
            if (handshakeDone) return;
            checkUsable();
            readLock.lock();
            writeLock.lock();
            try {
                runHandshake();
            } finally {
                writeLock.unlock();
                readLock.unlock();
            }
        } finally {
            handshakeLock.unlock();
        }
        QspSession s = getSession();
        for (HandshakeListener l : handshakeListeners) l.handshakeCompleted(this, s);
    }

    private void runHandshake() throws IOException {
        if (rawIn == null) throw new SocketException("Socket is not connected");
        IOException startError = null;
        engineLock.lock();
        try {
            if (core == null) {
                core = EngineCore.create(context, clientMode, expectedPeerIdentity());
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

    private String expectedPeerIdentity() {
        if (context.expectedPeerIdentity() != null) return context.expectedPeerIdentity();
        return clientMode ? peerHost : null;
    }

    /**
     * The negotiated session as of now: suite, peer identity and certificate, epoch, rekey count and key sources.
     * Runs the handshake first if needed; after the connection has ended, the last session seen.
     */
    public QspSession getSession() throws IOException {
        QspSession last = lastSession;
        if (last != null && (closed.get() || failure != null)) return last; // as it was when the connection ended
        startHandshake();
        QspSession s = engine(Core::session);
        lastSession = s;
        return s;
    }

    /**
     * Asks for a rekey now: a fresh one (new hybrid KEM exchange: post-compromise security) or a ratchet (HKDF
     * only: forward secrecy), SPEC.md §4.10. A server starts it; a client sends a request, which the server
     * honours at most once a second. Returns false if a rekey is already in flight or requested.
     */
    public boolean requestRekey(boolean fresh) throws IOException {
        startHandshake();
        boolean started = engine(c -> c.requestRekey(fresh, System.nanoTime()));
        scheduleFlush();
        return started;
    }

    public void addHandshakeListener(HandshakeListener l) { handshakeListeners.add(Objects.requireNonNull(l)); }

    public void removeHandshakeListener(HandshakeListener l) { handshakeListeners.remove(l); }

    public void addRekeyListener(RekeyListener l) { rekeyListeners.add(Objects.requireNonNull(l)); }

    public void removeRekeyListener(RekeyListener l) { rekeyListeners.remove(l); }

    // ---------------------------------------------------------------- data path

    private int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return 0;
        startHandshake();
        try {
            readLock.lock();
            try {
                while (true) {
                    if (inputShut) return -1;
                    int n = engine(c -> c.read(b, off, len));
                    if (n > 0) return n;
                    if (engine(Core::isInboundClosed)) return -1;
                    receiveOnce();
                }
            } finally {
                readLock.unlock();
                signalProgress();
            }
        } finally {
            reportRekeys();
        }
    }

    private void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) return;
        startHandshake();
        try {
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
        } finally {
            reportRekeys();
        }
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

    private void reportRekeys() throws IOException {
        if (rekeyListeners.isEmpty() || !handshakeDone) return;
        QspSession s;
        engineLock.lock();
        try {
            if (core == null || failure != null) return;
            long n = core.rekeyCount();
            if (n == reportedRekeys) return;
            reportedRekeys = n;
            s = core.session();
            lastSession = s;
        } finally {
            engineLock.unlock();
        }
        for (RekeyListener l : rekeyListeners) l.rekeyed(this, s);
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
    @Override
    public void close() throws IOException {
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

    /** Half-close: sends the authenticated CLOSE and a TCP FIN; reading goes on until the peer's CLOSE. */
    @Override
    public void shutdownOutput() throws IOException {
        if (outputShut) return;
        startHandshake();
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

    /** Stops reading locally: later reads return -1 and unread data is discarded (as for a plain socket). */
    @Override
    public void shutdownInput() throws IOException {
        inputShut = true;
        raw.shutdownInput();
    }

    @Override
    public boolean isInputShutdown() { return inputShut || raw.isInputShutdown(); }

    @Override
    public boolean isOutputShutdown() { return outputShut || raw.isOutputShutdown(); }

    @Override
    public boolean isClosed() { return closed.get() || (autoClose && raw.isClosed()); }

    // ---------------------------------------------------------------- streams

    @Override
    public InputStream getInputStream() throws IOException {
        if (isClosed()) throw new SocketException("Socket is closed");
        if (!isConnected()) throw new SocketException("Socket is not connected");
        if (inputShut) throw new SocketException("Socket input is shutdown");
        return in;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        if (isClosed()) throw new SocketException("Socket is closed");
        if (!isConnected()) throw new SocketException("Socket is not connected");
        if (outputShut) throw new SocketException("Socket output is shutdown");
        return out;
    }

    private final class QspInputStream extends InputStream {
        private final byte[] one = new byte[1];

        @Override
        public int read() throws IOException {
            int n = QspSocket.this.read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return QspSocket.this.read(b, off, len);
        }

        /** Authenticated application bytes that a read returns without blocking. */
        @Override
        public int available() throws IOException {
            if (!handshakeDone || inputShut) return 0;
            return engine(Core::available);
        }

        @Override
        public void close() throws IOException { QspSocket.this.close(); }
    }

    private final class QspOutputStream extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            QspSocket.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            QspSocket.this.write(b, off, len);
        }

        /** Every write is on the wire when it returns: nothing to flush. */
        @Override
        public void flush() throws IOException {
            if (closed.get()) throw new SocketException("Socket is closed");
        }

        @Override
        public void close() throws IOException { QspSocket.this.close(); }
    }

    // ---------------------------------------------------------------- timeouts

    @Override
    public synchronized void setSoTimeout(int timeout) throws SocketException {
        if (timeout < 0) throw new IllegalArgumentException("timeout < 0");
        raw.setSoTimeout(timeout);
        soTimeout = timeout;
    }

    @Override
    public synchronized int getSoTimeout() throws SocketException {
        if (isClosed()) throw new SocketException("Socket is closed");
        return soTimeout;
    }

    @Override
    public String toString() {
        return "QspSocket[" + (clientMode ? "client" : "server") + ", " + raw + ", "
                + (failure != null ? "failed" : closed.get() ? "closed" : handshakeDone ? "established" : "new") + "]";
    }
}
