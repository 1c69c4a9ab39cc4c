package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspHandshakeException;
import dev.qsp.sockets.QspProtocolException;
import java.security.SecureRandom;

/**
 * The handshake half of {@link QspEngine} (SPEC.md §4.5–§4.8, §4.12): the current {@link HandshakeState}, the
 * context its states share, the queue of the messages they send (cut into HANDSHAKE frames, §4.3) and the two
 * handshake deadlines (§4.13). It ends with {@link HandshakeState.Complete}, from which it builds the
 * {@link Traffic} that takes the connection over ({@link #traffic}).
 */
final class HandshakeDriver {
    private final QspEngine.Role role;
    private final QspEngineConfig config;
    private final KeySchedule schedule;
    private final RecordLayer records;
    private final DelegatedTasks tasks;
    /** Where the engine's frames for the peer go. */
    private final ByteQueue out;
    private final EngineEvents events;
    /** Null once the handshake is over ({@link #traffic}): an established connection keeps none of it (§4.15). */
    private HandshakeContext ctx;
    /** The messages of one step, before they are cut into frames; dropped when the handshake's buffers are. */
    private final ByteQueue messages = new ByteQueue(8192);
    private HandshakeState state;
    private boolean started;
    private long deadline;
    /** Server: the ClientHello must be complete by then (first-flight deadline, SPEC.md §4.13). */
    private long helloDeadline;

    HandshakeDriver(QspEngine.Role role, QspEngineConfig config, SecureRandom random, KeySchedule schedule,
                    RecordLayer records, ByteQueue out, EngineEvents events, DelegatedTasks tasks) {
        this.role = role;
        this.config = config;
        this.schedule = schedule;
        this.records = records;
        this.tasks = tasks;
        this.out = out;
        this.events = events;
        this.ctx = new HandshakeContext(config, random, schedule, enc -> {
            events.handshakeSent(enc);
            messages.write(enc, 0, enc.length);
        }, tasks);
    }

    boolean started() { return started; }

    /** Starts the handshake's deadlines. */
    void start(long now) {
        started = true;
        deadline = now + config.handshakeTimeoutNanos();
        helloDeadline = now + helloTimeoutNanos();
    }

    /** The first state: the client's sends its ClientHello (after its key-source task, §4.15). */
    void enterFirstState() throws QspProtocolException {
        state = role == QspEngine.Role.CLIENT ? ClientHandshake.start(ctx) : ServerHandshake.start();
        flush();
    }

    /** One received handshake message (§4.4); returns whether the handshake is now complete. */
    boolean handle(byte[] msg) throws QspProtocolException {
        events.handshakeReceived(msg);
        state = state.handle(ctx, HandshakeMessage.decode(msg), msg);
        flush();
        return state instanceof HandshakeState.Complete;
    }

    /**
     * The connection after the handshake, once {@link #handle} returned true: the {@link HandshakeState.Complete}'s
     * E_0 goes to the rekey driver of this role (SPEC.md §4.12).
     */
    Traffic traffic(CloseState closing, long now) throws QspProtocolException {
        HandshakeState.Complete done = (HandshakeState.Complete) state;
        Traffic traffic = new Traffic(role, done, config.rekeyPolicy(), schedule, records, out, events, closing, tasks, now);
        // What the handshake's states shared (negotiation lists, the released transcript, the message sink) is no
        // longer needed: the Complete record carries what goes on, and Traffic has taken it (SPEC.md §4.15).
        ctx.destroy();
        ctx = null;
        return traffic;
    }

    /** The state machine waits for a key-source task (SPEC.md §4.15): received messages wait too. */
    boolean awaitingTask() { return state instanceof HandshakeState.Awaiting; }

    /** A task's result was consumed: the state that waited for it goes on. */
    void resume() {
        if (state instanceof HandshakeState.Awaiting a && a.next != null) {
            state = a.next;
            flush();
        }
    }

    private boolean awaitingClientHello() {
        return role == QspEngine.Role.SERVER && state instanceof ServerHandshake.ExpectClientHello;
    }

    private long helloTimeoutNanos() { return Math.min(config.helloTimeoutNanos(), config.handshakeTimeoutNanos()); }

    /** See {@link QspEngine#handshakeDeadlineNanos()}. */
    long deadlineNanos() { return awaitingClientHello() ? helloDeadline : deadline; }

    /** {@code HANDSHAKE_TIMEOUT} once a deadline has passed (only while the handshake runs). */
    void checkDeadline(long now, boolean complete) throws QspProtocolException {
        if (!started) return;
        if (awaitingClientHello() && now - helloDeadline >= 0) {
            throw new QspHandshakeException(QspError.HANDSHAKE_TIMEOUT, "no complete ClientHello within "
                    + helloTimeoutNanos() / 1_000_000 + " ms");
        }
        if (!complete && now - deadline >= 0) {
            throw new QspHandshakeException(QspError.HANDSHAKE_TIMEOUT,
                    "handshake not complete within " + config.handshakeTimeoutNanos() / 1_000_000 + " ms");
        }
    }

    /** The messages of one step, cut into HANDSHAKE frames of at most 16,384 bytes, never an empty one (§4.3). */
    private void flush() {
        while (messages.size() > 0) {
            int n = Math.min(Frames.MAX_PLAIN_PAYLOAD, messages.size());
            records.writePlain(FrameType.HANDSHAKE, messages.array(), messages.start(), n, out);
            messages.skip(n);
        }
    }

    void releaseBuffers() { messages.release(); }

    int bufferedCapacity() { return messages.capacity(); }

    /** Erases the handshake's secrets (HS, ephemeral KEM keys, an E_0 not taken over). */
    void destroy() {
        if (ctx != null) ctx.destroy();
        if (state != null) state.destroy();
    }
}
