package dev.qsp.sockets;

import dev.qsp.sockets.engine.KeySourceTask;
import dev.qsp.sockets.engine.QspEngine;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine lock of one connection and what it guards (SPEC.md §6.1): the single-threaded {@link Core}, the
 * connection's failure and closed state, and a progress signal for a writer that waits for the reader. Every
 * engine call goes through here; the lock is never held across blocking I/O.
 */
final class EngineGate {
    /** How an error ends the connection: the wire loop's {@code fail}, which returns the exception to throw. */
    interface Failer {
        IOException fail(IOException e);
    }

    /** Runs a key-source task off the engine lock and resumes the engine afterwards (SPEC.md §4.15, §6.1). */
    interface TaskStarter {
        /** Must not block: it is called under the engine lock. */
        void start(KeySourceTask task);
    }

    interface EngineFunction<T> {
        T apply(Core c) throws IOException;
    }

    interface EngineAction {
        void apply(Core c) throws IOException;
    }

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever the engine has taken in new bytes, a reader has left, or the connection ended. */
    private final Condition progress = lock.newCondition();
    private final Failer failer;
    private final TaskStarter tasks;
    private final AtomicBoolean closed = new AtomicBoolean();
    private long progressCount;
    private Core core;
    private volatile IOException failure;

    EngineGate(Failer failer, TaskStarter tasks) {
        this.failer = failer;
        this.tasks = tasks;
    }

    /** After an engine call, under the lock: a task the engine handed out goes to its own thread. */
    private void handOutTask() {
        KeySourceTask t = core == null ? null : core.delegatedTask();
        if (t != null) tasks.start(t);
    }

    /** Creates and starts the engine on the first handshake attempt; a later attempt resumes it. */
    void startOnce(CoreFactory factory) throws IOException {
        IOException error = null;
        lock.lock();
        try {
            if (core == null) {
                core = factory.create();
                core.start(System.nanoTime());
                handOutTask();
            }
        } catch (IOException e) {
            error = e;
        } finally {
            lock.unlock();
        }
        if (error != null) throw failer.fail(error);
    }

    interface CoreFactory {
        Core create() throws IOException;
    }

    /** Calls the engine under the lock; an engine error fails the connection after the lock is released. */
    <T> T call(EngineFunction<T> f) throws IOException {
        IOException error;
        lock.lock();
        try {
            checkUsable();
            T r = f.apply(core);
            handOutTask();
            return r;
        } catch (IOException e) {
            error = e;
        } finally {
            lock.unlock();
        }
        throw failer.fail(error);
    }

    void run(EngineAction a) throws IOException {
        call(c -> {
            a.apply(c);
            return null;
        });
    }

    /** Calls the engine under the lock if the connection is usable, else returns {@code otherwise}; never fails it. */
    <T> T callIfUsable(java.util.function.Function<Core, T> f, T otherwise) {
        lock.lock();
        try {
            return core == null || failure != null || closed.get() ? otherwise : f.apply(core);
        } finally {
            lock.unlock();
        }
    }

    /**
     * For the idle-rekey timer (SPEC.md §6.2): applies time if the engine lock is free at once, never waiting for
     * it. Returns false once the connection has ended. An engine error is recorded as the connection's failure
     * before the lock is released (so no thread sees the failed engine without it) and thrown; the caller hands
     * the rest of failing (the CLOSE, erasing, closing the socket) to another thread, since that writes to the wire.
     */
    boolean tickIfIdle(long nowNanos) throws IOException {
        if (!lock.tryLock()) return true; // a thread is using the engine: it evaluates the triggers itself
        try {
            if (core == null || failure != null || closed.get()) return false;
            core.tick(nowNanos);
            handOutTask(); // a fresh rekey's key sources run on their own thread, never on the timer's
            return true;
        } catch (IOException e) {
            failure = e;
            progress.signalAll();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** The session of an ended connection whose handshake completed (never fails), else null. */
    QspSession sessionAfterEnd() {
        lock.lock();
        try {
            return core != null && core.isHandshakeComplete() ? core.session() : null;
        } finally {
            lock.unlock();
        }
    }

    /** Throws the stored failure (as a new exception) or {@code Socket is closed}. */
    void checkUsable() throws IOException {
        IOException f = failure;
        if (f != null) throw rethrown(f);
        if (closed.get()) throw new SocketException("Socket is closed");
    }

    IOException failure() { return failure; }

    /** Records the connection's failure; false if it had failed or been closed already. */
    boolean markFailed(IOException e) {
        lock.lock();
        try {
            if (failure != null || closed.get()) return false;
            failure = e;
            progress.signalAll(); // waiters (a writer waiting for a rekey, a caller waiting for a task) end now
            return true;
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() { return closed.get(); }

    /** Marks the connection closed; false if it was already. */
    boolean markClosed() { return closed.compareAndSet(false, true); }

    /**
     * Reads application data the engine has already authenticated, also after the connection failed (SPEC.md
     * §6.3: data that arrived before a fault is delivered before the fault is reported); 0 if there is none.
     */
    int readBuffered(byte[] b, int off, int len) throws IOException {
        lock.lock();
        try {
            if (core != null && !closed.get() && core.available() > 0) return core.read(b, off, len);
        } finally {
            lock.unlock();
        }
        return 0;
    }

    /** Authenticated application bytes waiting to be read, also after a failure (0 once closed). */
    int buffered() {
        lock.lock();
        try {
            return core == null || closed.get() ? 0 : core.available();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the engine has output queued that someone should write (nothing once failed). */
    boolean hasPendingOutput() {
        lock.lock();
        try {
            return core != null && failure == null && core.pendingOutput() > 0;
        } finally {
            lock.unlock();
        }
    }

    /** Takes queued output regardless of the connection's state (for the CLOSE of a failing connection). */
    QspEngine.OutputChunk takeOutputQuietly(byte[] spare) {
        lock.lock();
        try {
            return core == null ? null : core.takeOutput(spare);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the engine and wakes waiting writers: after a failure its keys are erased and the authenticated
     * plaintext stays readable ({@code abort}); on close the plaintext goes too ({@code destroy}).
     */
    void endCore(boolean keepPlaintext) {
        lock.lock();
        try {
            if (core != null) {
                if (keepPlaintext) core.abort();
                else core.destroy();
            }
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Queues the CLOSE for {@code close()}, even if the connection is already marked closed. */
    void closeOutboundForClose() throws IOException {
        lock.lock();
        try {
            core.closeOutbound();
        } finally {
            lock.unlock();
        }
    }

    long progressCount() {
        lock.lock();
        try {
            return progressCount;
        } finally {
            lock.unlock();
        }
    }

    void signalProgress() {
        lock.lock();
        try {
            progressCount++;
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until progress was signalled after {@code seen}, the connection ended or {@code timeoutNanos} passed
     * (0: no limit); returns false on timeout.
     */
    boolean awaitProgress(long seen, long timeoutNanos) throws InterruptedIOException {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (progressCount == seen && failure == null && !closed.get()) {
                if (timeoutNanos <= 0) {
                    progress.await();
                } else {
                    if (left <= 0) return false;
                    left = progress.awaitNanos(left);
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a key source");
        } finally {
            lock.unlock();
        }
    }

    /** Waits until progress was signalled after {@code seen}, or the connection ended. */
    void awaitProgress(long seen) throws InterruptedIOException {
        lock.lock();
        try {
            while (progressCount == seen && failure == null && !closed.get()) progress.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a rekey to complete");
        } finally {
            lock.unlock();
        }
    }

    /**
     * A stored failure reported again: a new exception of the same type whose cause is the original, and whose
     * message repeats the original's detail — a log line of the second report (often the only one an
     * application logs) then still says why, e.g. which KME failed and how (SPEC.md §6.3).
     */
    static IOException rethrown(IOException f) {
        if (f instanceof QspHandshakeException h) {
            return new QspHandshakeException(h.error(), "the handshake failed earlier: " + h.detail(), h.isRemote(), h);
        }
        if (f instanceof QspProtocolException p) {
            return new QspProtocolException(p.error(), "the connection failed earlier: " + p.detail(), p.isRemote(), p);
        }
        SocketException s = new SocketException("the connection failed earlier: " + f);
        s.initCause(f);
        return s;
    }
}
