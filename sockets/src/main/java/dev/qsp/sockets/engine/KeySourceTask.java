package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Key-source work the engine hands out instead of doing it itself (SPEC.md §4.15 "Delegated tasks"), as
 * {@code SSLEngine} hands out delegated tasks: {@link #run()} makes only the key-source calls
 * ({@code initiate}, {@code respond}, {@code complete}; a QKD source calls its KME, which may block) and touches
 * no engine state, so the caller runs it on a thread of its own, never while holding the engine's lock. Once it
 * has returned, any engine call that takes the time ({@link QspEngine#tick} is the canonical one) consumes its
 * result on the engine's own thread.
 *
 * <p>Thread-safe: {@link #run()} on any thread, at most once (a second call returns at once); the result is
 * published to the engine through a volatile flag. A key-source failure is kept, not thrown, and reported by
 * the engine call that consumes it.
 */
public final class KeySourceTask implements Runnable {
    /** What the task's key-source calls are for. */
    public enum Kind {
        /** The handshake's key sources (ClientHello offers, the server's answers, the client's completion). */
        HANDSHAKE,
        /** A fresh rekey's key sources (§4.10). */
        FRESH_REKEY
    }

    /** The blocking part: key-source calls only (failures mapped through {@link KeySourceFailures}). */
    interface Work<T> {
        T run() throws QspProtocolException;
    }

    private final Kind kind;
    private final Work<?> work;
    /**
     * Erases a result nobody will consume (the engine ended first), or with null what the task would have used
     * when it never ran. A failing body cleans up after itself.
     */
    private final Consumer<Object> erase;
    private boolean started;
    private boolean abandoned;
    private Object result;
    private QspProtocolException failure;
    private volatile boolean done;

    @SuppressWarnings("unchecked")
    <T> KeySourceTask(Kind kind, Work<T> work, Consumer<? super T> erase) {
        this.kind = Objects.requireNonNull(kind);
        this.work = Objects.requireNonNull(work);
        this.erase = r -> ((Consumer<Object>) erase).accept(r);
    }

    /** {@return what the task's key-source calls are for} */
    public Kind kind() { return kind; }

    /** {@return whether {@link #run()} has finished} */
    public boolean isDone() { return done; }

    @Override
    public void run() {
        synchronized (this) {
            if (started) return;
            started = true;
        }
        Object r = null;
        QspProtocolException f = null;
        try {
            r = work.run();
        } catch (QspProtocolException e) {
            f = e;
        } catch (RuntimeException e) {
            // a key source with a bug: the connection fails with INTERNAL, the exception is the cause
            f = new QspProtocolException(QspError.INTERNAL, "key source failed unexpectedly: " + e, false, e);
        }
        boolean eraseNow;
        synchronized (this) {
            result = r;
            failure = f;
            eraseNow = abandoned;
            done = true;
        }
        if (eraseNow && r != null) erase.accept(r);
    }

    /**
     * The engine ended: a result that arrives later is erased when it does, one that is here already now; a task
     * that has not started will not run.
     */
    void abandon() {
        Object r;
        boolean neverRan;
        synchronized (this) {
            if (abandoned) return;
            abandoned = true;
            neverRan = !started;
            started = true;
            r = done ? result : null;
            result = null;
            if (neverRan) done = true;
        }
        if (neverRan) erase.accept(null);
        else if (r != null) erase.accept(r);
    }

    /** The finished task's result (engine thread, after {@link #isDone()}); throws the key source's failure. */
    Object result() throws QspProtocolException {
        synchronized (this) {
            if (failure != null) throw failure;
            Object r = result;
            result = null;
            return r;
        }
    }

    @Override
    public String toString() { return "KeySourceTask[" + kind + (done ? ", done" : "") + "]"; }
}
