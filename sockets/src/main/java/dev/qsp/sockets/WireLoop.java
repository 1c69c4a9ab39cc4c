package dev.qsp.sockets;

import dev.qsp.sockets.engine.KeySourceTask;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The only I/O loop around the single-threaded engine (SPEC.md §6.1) for one {@link QspSocket}: it wires the
 * {@link EngineGate} (engine lock, failure and closed state) to the {@link FramePump} (read lock, the peer's bytes
 * into the engine) and the {@link FrameFlusher} (write lock, the engine's frames onto the wire in order), and runs
 * what needs all three: the handshake, failing the connection once, and close with its linger (§6.2, §6.3).
 *
 * <p>Locks are {@link ReentrantLock}s, so virtual threads blocked here do not pin their carrier. Completing a
 * rekey needs the peer's answer, so a write also reads what is already waiting on the socket, and at the hard
 * record limit it waits for the rekey instead of failing.
 */
final class WireLoop {
    /** How long close() waits for a write in progress to finish, so that its CLOSE follows the last frame. */
    static final int CLOSE_WAIT_MILLIS = 2000;
    /** How long a closed socket waits for the peer's end of stream before closing TCP. */
    static final int LINGER_MILLIS = 5000;

    private final QspContext context;
    private final boolean clientMode;
    private final Socket raw;
    private final boolean autoClose;
    private final EngineGate gate = new EngineGate(this::fail, this::startTask);
    private final FrameFlusher flusher = new FrameFlusher(gate, this::fail);
    private final FramePump pump;
    private final ReentrantLock handshakeLock = new ReentrantLock();

    private long reportedRekeys;
    private volatile boolean handshakeDone;
    private volatile QspSession lastSession;
    private long handshakeStartNanos = Long.MIN_VALUE;
    private volatile ScheduledFuture<?> idleTicks;
    /** The handshake's outstanding key-source task, which the handshake's thread waits for (SPEC.md §4.15). */
    private volatile KeySourceTask handshakeTask;
    /** The handshake's thread waits in a read without a socket timeout, woken by {@link #deadlineAlarm}. */
    private volatile boolean untimedRead;

    WireLoop(QspContext context, boolean clientMode, Socket raw, boolean autoClose) throws IOException {
        this.context = context;
        this.clientMode = clientMode;
        this.raw = raw;
        this.autoClose = autoClose;
        this.pump = new FramePump(raw, gate, this::fail, flusher::scheduleFlush);
        if (raw.isConnected()) attachStreams();
    }

    /** Takes the TCP streams once the socket is connected. */
    void attachStreams() throws IOException {
        pump.attach(raw.getInputStream());
        flusher.attach(raw.getOutputStream());
    }

    // ---------------------------------------------------------------- handshake

    /**
     * Runs the handshake unless it ran already; other threads wait for it. Returns true if this call completed
     * it. A {@link SocketTimeoutException} (soTimeout) leaves it resumable; the context's handshake deadline fails
     * it with {@link QspHandshakeException} (SPEC.md §6.2).
     */
    boolean handshake(String expectedPeerIdentity) throws IOException {
        if (handshakeDone) return false;
        gate.checkUsable();
        handshakeLock.lock();
        try {
            if (handshakeDone) return false;
            gate.checkUsable();
            pump.lock().lock();
            flusher.lock().lock();
            try {
                runHandshake(expectedPeerIdentity);
                return true;
            } finally {
                flusher.lock().unlock();
                pump.lock().unlock();
            }
        } finally {
            handshakeLock.unlock();
        }
    }

    boolean isHandshakeDone() { return handshakeDone; }

    private void runHandshake(String expectedPeerIdentity) throws IOException {
        if (!pump.isAttached()) throw new SocketException("Socket is not connected");
        gate.startOnce(() -> EngineCore.create(context, clientMode, expectedPeerIdentity));
        long deadline = handshakeDeadline();
        // §6.2: the deadline bounds writes too. A read is bounded by its timeout below; a write blocked on a peer
        // that does not read is not, so a one-shot task fails the handshake at the deadline (closing the socket).
        ScheduledFuture<?> guard = IdleRekeyTimer.once(deadline - System.nanoTime(), this::handshakeDeadlinePassed);
        try {
            handshakeLoop(deadline);
        } catch (IOException e) {
            // an I/O error from the guard's closing of the socket reports the guard's failure (§6.3)
            IOException f = gate.failure();
            if (f != null && f != e && !(e instanceof QspProtocolException)) throw EngineGate.rethrown(f);
            throw e;
        } finally {
            guard.cancel(false);
        }
        handshakeDone = true;
        // The completed task still references what its work captured (the peer's ClientHello with its key share,
        // ~1.5 KB): a connection waiting in read keeps none of it (SPEC.md §4.13). Later tasks are rekeys'.
        handshakeTask = null;
        // Both locks are held here: drop the handshake's wire buffers, the next read or write allocates its own.
        pump.releaseBuffer();
        flusher.releaseBuffer();
        startIdleTicks();
    }

    /** On the timer thread: fails a handshake still running at its deadline, on a virtual thread (it writes). */
    private void handshakeDeadlinePassed() {
        // a thread in the untimed read is woken by its alarm and fails the handshake itself, sending the CLOSE
        if (handshakeDone || untimedRead || gate.isClosed() || gate.failure() != null) return;
        Thread.ofVirtual().name("qsp-handshake-deadline").start(() -> {
            if (handshakeDone || gate.callIfUsable(Core::isHandshakeComplete, true)) return;
            fail(handshakeTimedOut());
        });
    }

    private void handshakeLoop(long deadline) throws IOException {
        while (true) {
            // Bytes that have already arrived are the peer's in time, however late this thread got to run: the
            // engine sees them before it checks its first-flight deadline (SPEC.md §4.13), so a busy server does not
            // time out a ClientHello sitting in its socket buffer.
            if (!gate.call(Core::isHandshakeComplete) && pump.wireHasBytes()) pump.receiveOnce();
            // Consumes a finished key-source task's result here, on the handshake's thread, so that what it leads
            // to (the next flight, or a failure) is this call's to report (SPEC.md §4.15).
            gate.run(c -> c.tick(System.nanoTime()));
            flusher.drainOutput();
            if (gate.call(Core::isHandshakeComplete)) break;
            // a server's first-flight deadline (SPEC.md §4.13) comes first: the engine reports it from tick
            long wake = deadline;
            long engineDeadline = gate.call(Core::handshakeDeadlineNanos);
            if (engineDeadline - wake < 0) wake = engineDeadline;
            long remainingMs = Math.ceilDiv(wake - System.nanoTime(), 1_000_000L);
            if (remainingMs <= 0) {
                gate.run(c -> c.tick(System.nanoTime()));
                if (wake != deadline) continue;
                throw fail(handshakeTimedOut());
            }
            // The handshake waits only for its own key-source task (SPEC.md §4.15), which runs on a thread of its
            // own: not in a read of the wire, which the task's result may not need.
            long seen = gate.progressCount();
            KeySourceTask task = handshakeTask;
            if (task != null && gate.call(Core::isAwaitingTask)) {
                // A task that finished after the tick above is consumed by the next turn's tick, never left behind
                // a read of the wire: the peer is waiting for the flight its result produces.
                if (!task.isDone()) gate.awaitProgress(seen, Math.max(1, deadline - System.nanoTime()));
                continue;
            }
            int user = pump.soTimeout();
            if (user == 0 && autoClose) {
                // An untimed read, woken at the deadline by a one-shot timer (SPEC.md §6.2): a timed read would
                // switch the TCP socket to non-blocking mode for good (the JDK's NioSocketImpl), and every read of
                // the connection's life would then cost two more system calls (a failed read and a poll).
                ScheduledFuture<?> alarm = IdleRekeyTimer.once(wake - System.nanoTime(), () -> deadlineAlarm(deadline));
                untimedRead = true;
                try {
                    pump.receiveOnce();
                } finally {
                    untimedRead = false;
                    alarm.cancel(false);
                }
                if (pump.wokenAtDeadline()) {
                    // the engine reports its own deadline (the CLOSE it queues goes out from here); otherwise the
                    // connection's input is shut: the handshake ends here
                    gate.run(c -> c.tick(System.nanoTime()));
                    throw fail(handshakeTimedOut());
                }
                continue;
            }
            boolean userLimited = user > 0 && user < remainingMs;
            raw.setSoTimeout((int) Math.min(Integer.MAX_VALUE, userLimited ? user : remainingMs));
            try {
                pump.receiveOnce();
            } catch (SocketTimeoutException e) {
                if (userLimited) throw e;
                // the handshake deadline passed: the next turn reports it
            } finally {
                if (!gate.isClosed() && gate.failure() == null) raw.setSoTimeout(pump.soTimeout());
            }
        }
    }

    /**
     * On the timer thread, at the earliest handshake deadline: wakes the handshake's untimed read if a deadline has passed with nothing
     * waiting on the socket (then the engine's next tick, or the connection's own deadline, fails the handshake for
     * certain). Bytes that have arrived are the peer's in time (SPEC.md §4.13): the handshake's thread takes them in
     * and checks the deadlines itself. Runs on a virtual thread, as it takes the engine lock.
     */
    private void deadlineAlarm(long deadline) {
        if (handshakeDone || gate.isClosed() || gate.failure() != null) return;
        Thread.ofVirtual().name("qsp-handshake-alarm").start(() -> {
            if (handshakeDone || pump.wireHasBytes()) return;
            long now = System.nanoTime();
            boolean passed = now - deadline >= 0 || gate.callIfUsable(
                    c -> !c.isHandshakeComplete() && now - c.handshakeDeadlineNanos() >= 0, false);
            if (passed) pump.wakeAtDeadline();
        });
    }

    /**
     * A server applies its rekey interval to idle connections too (SPEC.md §6.2): the shared timer ticks the
     * engine, whose time trigger starts the rekey. Clients start no rekeys, so they need no timer.
     */
    private void startIdleTicks() {
        long interval = EngineCore.rekeyPolicy(context).timeLimitNanos();
        if (clientMode || interval <= 0) return;
        idleTicks = IdleRekeyTimer.every(interval, this::idleTick);
        if (gate.isClosed() || gate.failure() != null) stopIdleTicks(); // ended meanwhile
    }

    private void idleTick() {
        try {
            if (!gate.tickIfIdle(System.nanoTime())) {
                stopIdleTicks();
                return;
            }
        } catch (IOException e) {
            stopIdleTicks();
            // tickIfIdle has recorded the failure; ending the connection writes the CLOSE: not on the timer thread
            Thread.ofVirtual().name("qsp-fail").start(this::endFailed);
            return;
        }
        flusher.scheduleFlush(); // a REKEY_INIT, written by the current writer or a virtual thread
    }

    private void stopIdleTicks() {
        ScheduledFuture<?> t = idleTicks;
        if (t != null) t.cancel(false);
    }

    /** The connection's own handshake deadline has passed (SPEC.md §6.2). */
    private QspHandshakeException handshakeTimedOut() {
        return new QspHandshakeException(QspError.HANDSHAKE_TIMEOUT,
                "no handshake within " + context.handshakeTimeout().toMillis() + " ms");
    }

    /** The deadline counts from the first handshake attempt, so a resumed handshake keeps the same bound. */
    private long handshakeDeadline() {
        if (handshakeStartNanos == Long.MIN_VALUE) handshakeStartNanos = System.nanoTime();
        return handshakeStartNanos + context.handshakeTimeout().toNanos();
    }

    // ---------------------------------------------------------------- key-source tasks

    /**
     * Under the engine lock: a key-source task the engine handed out runs on a thread of {@link KeySourceThreads},
     * never under the lock nor on the idle-rekey timer (SPEC.md §4.15, §6.1); only this connection waits for it.
     */
    private void startTask(KeySourceTask task) {
        boolean forHandshake = !handshakeDone;
        if (forHandshake) handshakeTask = task;
        KeySourceThreads.execute(() -> {
            task.run();
            if (forHandshake) gate.signalProgress(); // the handshake's thread, waiting for it, resumes the engine
            else resumeAfterTask();
        });
    }

    /** The task finished: the engine consumes its result (may queue frames, fail, or hand out the next task). */
    private void resumeAfterTask() {
        try {
            gate.run(c -> c.tick(System.nanoTime()));
        } catch (IOException e) {
            // fail() has recorded it and sent the CLOSE; the application sees it on its next call
        }
        gate.signalProgress(); // wakes a handshake or reader waiting for the task
        flusher.scheduleFlush();
    }

    // ---------------------------------------------------------------- session and rekey

    /** The session now (after the handshake); after the connection ended, the last one seen. */
    QspSession session() throws IOException {
        QspSession last = lastSession;
        if (gate.isClosed() || gate.failure() != null) {
            if (last != null) return last;
            // none was asked for while it ran (a handshake without listeners builds none, so an established
            // connection holds no snapshot): the session as the connection ended
            QspSession end = gate.sessionAfterEnd();
            if (end != null) return lastSession = end;
        }
        QspSession s = gate.call(Core::session);
        lastSession = s;
        return s;
    }

    /** Asks the engine for a rekey (after the handshake); false if one is in flight (SPEC.md §4.10). */
    boolean requestRekey(boolean fresh) throws IOException {
        boolean started = gate.call(c -> c.requestRekey(fresh, System.nanoTime()));
        // An explicit fresh rekey returns once its REKEY_INIT is queued, as before: the caller waits for its own
        // key-source task (off the engine lock, which the task's thread takes to resume the engine, §4.15) and
        // learns of its failure. Nothing else waits: data flows meanwhile, and timer rekeys do not wait at all.
        while (started) {
            long seen = gate.progressCount();
            if (!gate.call(Core::isAwaitingTask)) break;
            gate.awaitProgress(seen);
        }
        flusher.scheduleFlush();
        return started;
    }

    /** The session if rekeys completed since the last call, else null (for the rekey listeners). */
    QspSession newRekeys() {
        if (!handshakeDone) return null;
        QspSession s = gate.callIfUsable(c -> {
            long n = c.rekeyCount();
            if (n == reportedRekeys) return null;
            reportedRekeys = n;
            return c.session();
        }, null);
        if (s != null) lastSession = s;
        return s;
    }

    // ---------------------------------------------------------------- data path

    /** Reads authenticated application data (after the handshake): at least one byte, or -1 after CLOSE. */
    int read(byte[] b, int off, int len) throws IOException { return pump.read(b, off, len); }

    /** Authenticated application bytes a read returns without blocking. */
    int available() throws IOException { return handshakeDone ? pump.available() : 0; }

    /** Sends all of {@code b[off..off+len)} (after the handshake). */
    void write(byte[] b, int off, int len) throws IOException { flusher.write(b, off, len, pump); }

    // ---------------------------------------------------------------- failure

    /**
     * Fails the connection once (JSSE's {@code fatal} shape: callers write {@code throw fail(e)}): remembers
     * why, sends the CLOSE the engine queued for the error if the wire is free, erases the keys (authenticated
     * plaintext stays readable, SPEC.md §6.3) and closes the TCP connection. A stored failure is reported again,
     * as a new exception, by every later call.
     */
    private IOException fail(IOException e) {
        if (e instanceof SocketTimeoutException) return e;
        if (!gate.markFailed(e)) return withCause(e);
        endFailed();
        return e;
    }

    /**
     * An I/O error of a thread that was reading or writing when another thread failed the connection (and closed
     * the socket under it, e.g. {@code SocketException: Socket closed}): reported as the connection's failure, so
     * the reason is never lost (SPEC.md §6.3). Errors from the engine (which carry their code) stay as they are.
     */
    private IOException withCause(IOException e) {
        IOException f = gate.failure();
        if (f == null || f == e || e instanceof QspProtocolException) return e;
        IOException r = EngineGate.rethrown(f);
        r.addSuppressed(e);
        return r;
    }

    /**
     * Ends a connection whose failure has been recorded: its CLOSE, keys, the socket. The CLOSE must follow the
     * last frame, so after an engine error this waits for a flush in progress as {@link #close()} does, at most
     * {@value #CLOSE_WAIT_MILLIS} ms, and then sends it: the peer learns the reason instead of seeing TRUNCATED
     * (SPEC.md §6.3). After a transport error there is no point in waiting for the wire.
     */
    private void endFailed() {
        stopIdleTicks();
        // (During the handshake the wire's holder is the handshake itself, and the deadline guard must close the
        // socket at once to end a write blocked on a peer that does not read, §6.2.)
        if (handshakeDone && gate.failure() instanceof QspProtocolException) flusher.drainWhenFree(CLOSE_WAIT_MILLIS);
        else flusher.drainIfFree();
        gate.endCore(true);
        closeRawQuietly();
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
     * <p>CLOSE must follow the last frame, so close waits up to {@value #CLOSE_WAIT_MILLIS} ms for a write in
     * progress (usually a flush of rekey frames; an application write blocked on a peer that does not read may
     * hold the wire indefinitely, and then the connection closes without CLOSE rather than hang). After a CLOSE
     * the TCP socket is closed by a lingering virtual thread (SPEC.md §6.3): it sends FIN and discards what the
     * peer still sends until the peer's end of stream or {@value #LINGER_MILLIS} ms. Closing a TCP socket with
     * unread bytes makes the kernel send a reset, which can destroy data the peer has not read yet; a QSP peer
     * sends such bytes (its rekey answers) even to a program that never reads.
     */
    void close() throws IOException {
        if (!gate.markClosed()) return;
        stopIdleTicks();
        boolean closeSent = flusher.isOutputShut();
        try {
            if (handshakeDone && gate.failure() == null && !flusher.isOutputShut() && flusher.tryLockFor(CLOSE_WAIT_MILLIS)) {
                try {
                    gate.closeOutboundForClose();
                    flusher.drainQuietly();
                    closeSent = true;
                } catch (IOException ignored) {
                    // closing anyway
                } finally {
                    flusher.lock().unlock();
                }
            }
        } finally {
            gate.endCore(false);
            if (autoClose) {
                // With closed set, a reader that takes the read lock from now on fails before touching the wire,
                // so once the lock is free the lingering thread is the wire's only reader.
                if (closeSent && gate.failure() == null && pump.lock().tryLock()) {
                    pump.lock().unlock();
                    Thread.ofVirtual().name("qsp-linger").start(this::lingerThenClose);
                } else {
                    raw.close();
                }
            }
        }
    }

    private void lingerThenClose() {
        try {
            if (!raw.isOutputShutdown()) raw.shutdownOutput();
            raw.setSoTimeout(LINGER_MILLIS);
            long deadline = System.nanoTime() + LINGER_MILLIS * 1_000_000L;
            byte[] discard = new byte[8192];
            while (System.nanoTime() - deadline < 0 && pump.rawIn().read(discard) >= 0) {
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

    /** The connection's failure, or null. */
    IOException failure() { return gate.failure(); }

    /** Closed by {@code close()} (not merely failed). */
    boolean closedLocally() { return gate.isClosed(); }

    /** Test hook: the write lock, so a test can play a flush in progress. */
    ReentrantLock writeLockForTest() { return flusher.lock(); }

    /** Half-close (after the handshake): sends the authenticated CLOSE and a TCP FIN. */
    void shutdownOutput() throws IOException { flusher.shutdownOutput(raw::shutdownOutput); }

    /** Stops reading locally: later reads return -1. */
    void shutdownInput() throws IOException { pump.shutdownInput(); }

    boolean isInputShutdown() { return pump.isInputShut() || raw.isInputShutdown(); }

    boolean isOutputShutdown() { return flusher.isOutputShut() || raw.isOutputShutdown(); }

    boolean isClosed() { return gate.isClosed() || (autoClose && raw.isClosed()); }

    // ---------------------------------------------------------------- timeouts

    /** Sets the read timeout of the wire (the handshake lowers it temporarily to its own deadline). */
    void setSoTimeout(int timeout) throws SocketException { pump.setSoTimeout(timeout); }

    int getSoTimeout() { return pump.soTimeout(); }

    /** The connection's state for {@code toString}. */
    String state() {
        return gate.failure() != null ? "failed" : gate.isClosed() ? "closed" : handshakeDone ? "established" : "new";
    }
}
