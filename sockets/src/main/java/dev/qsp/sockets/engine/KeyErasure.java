package dev.qsp.sockets.engine;

/**
 * Erases every key and secret the engine's parts hold (SPEC.md §4.14) when the engine ends: closed both ways,
 * failed, aborted or destroyed. {@link CloseState} runs it on each of those ends (more than once is harmless);
 * the observer hears of the end once (§6.6).
 */
final class KeyErasure implements Runnable {
    private final DelegatedTasks tasks;
    private final RecordLayer records;
    private final HandshakeDriver handshake;
    private final FrameDispatch dispatch;
    private final EngineEvents events;

    KeyErasure(DelegatedTasks tasks, RecordLayer records, HandshakeDriver handshake, FrameDispatch dispatch,
               EngineEvents events) {
        this.tasks = tasks;
        this.records = records;
        this.handshake = handshake;
        this.dispatch = dispatch;
        this.events = events;
    }

    @Override
    public void run() {
        tasks.abandon(); // what an outstanding key-source task produces is erased when it finishes (§4.15)
        records.destroy();
        if (dispatch.traffic() != null) dispatch.traffic().rekey().destroy();
        handshake.destroy();
        events.ended(dispatch.handshakeComplete());
    }
}
