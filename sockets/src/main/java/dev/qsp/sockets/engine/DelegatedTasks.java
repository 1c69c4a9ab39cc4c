package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspProtocolException;
import java.util.function.Consumer;

/**
 * The engine's side of delegated key-source tasks (SPEC.md §4.15): at most one {@link KeySourceTask} is
 * outstanding; {@link #submit} either runs it at once (inline mode, {@code QspEngineConfig.delegatedTasks(false)})
 * or keeps it for the caller ({@link #handOut}), and {@link #resume} hands a finished task's result to the
 * continuation that was waiting for it. Engine thread only, except {@link KeySourceTask#run()}.
 */
final class DelegatedTasks {
    /** What the engine does with a task's result, on its own thread. */
    interface Continuation<T> {
        void accept(T result) throws QspProtocolException;
    }

    private final boolean delegated;
    private KeySourceTask pending;
    private Continuation<Object> then;
    private boolean handedOut;
    private long now;

    DelegatedTasks(boolean delegated) {
        this.delegated = delegated;
    }

    /**
     * Starts key-source work whose result {@code then} consumes. Inline, both happen now; delegated, the task waits
     * to be handed out and run, and {@code then} runs in the first {@link #resume} after it finished.
     */
    @SuppressWarnings("unchecked")
    <T> void submit(KeySourceTask.Kind kind, KeySourceTask.Work<T> work, Consumer<? super T> erase, Continuation<? super T> then)
            throws QspProtocolException {
        if (pending != null) throw new IllegalStateException("a key-source task is already outstanding");
        KeySourceTask task = new KeySourceTask(kind, work, erase);
        if (!delegated) { // inline: the time is that of the engine call running it
            task.run();
            ((Continuation<Object>) then).accept(task.result());
            return;
        }
        pending = task;
        this.then = (Continuation<Object>) then;
        handedOut = false;
    }

    /** The outstanding task, once; null if there is none or it was handed out already. */
    KeySourceTask handOut() {
        if (pending == null || handedOut) return null;
        handedOut = true;
        return pending;
    }

    /** A task is outstanding whose result has not been consumed. */
    boolean awaiting() { return pending != null; }

    /** Whether the outstanding task (if any) is of {@code kind}. */
    boolean awaiting(KeySourceTask.Kind kind) { return pending != null && pending.kind() == kind; }

    /**
     * Consumes a finished task's result: runs its continuation (which may submit the next task). Returns whether
     * it did. A key-source failure is thrown, for the engine to make fatal.
     */
    boolean resume(long nowNanos) throws QspProtocolException {
        now = nowNanos;
        KeySourceTask t = pending;
        if (t == null || !t.isDone()) return false;
        Continuation<Object> c = then;
        pending = null;
        then = null;
        c.accept(t.result());
        return true;
    }

    /** The time of the engine call that consumes a result (for continuations that start an epoch's clock). */
    long now() { return now; }

    /** The engine ended: whatever the outstanding task produces is erased, nothing consumes it. */
    void abandon() {
        if (pending != null) pending.abandon();
        pending = null;
        then = null;
    }
}
