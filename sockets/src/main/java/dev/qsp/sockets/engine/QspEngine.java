package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspHandshakeException;
import dev.qsp.sockets.QspProtocolException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The QSP v1 protocol engine: sans-I/O, single-threaded (SPEC.md §4). Bytes from the peer go in through
 * {@link #receive}, bytes for the peer come out of {@link #drainOutput}; time is passed in as {@code nowNanos}
 * (any monotonic clock). The engine never reads a clock and never touches a socket: the socket layer is a thin
 * shell around it that adds locking and I/O. It blocks only inside a key source, and with
 * {@code QspEngineConfig.delegatedTasks(true)} not even there: key-source work is handed out as a
 * {@link KeySourceTask} for the caller to run on a thread of its own ({@link #delegatedTask}, SPEC.md §4.15).
 *
 * <p>Errors: every protocol violation is fatal. The engine queues a CLOSE with the reason (AEAD-protected once
 * keys exist) and destroys its keys; application data it authenticated before the error can still be read, and
 * every other later call reports the same error as a {@link QspProtocolException}
 * ({@link QspHandshakeException} if the handshake had not completed).
 * Local misuse (writing before the handshake or after closing) is an {@link IllegalStateException}.
 */
public final class QspEngine {
    /** Which side of the connection this engine plays. */
    public enum Role {
        /** Connects and sends the ClientHello. */
        CLIENT,
        /** Accepts, authenticates itself and leads every rekey (SPEC.md §4.10). */
        SERVER
    }

    private final Role role;
    private final RecordLayer records = new RecordLayer();
    /** Key-source work, inline or handed out (SPEC.md §4.15). */
    private final DelegatedTasks tasks;
    private final ByteQueue out = new ByteQueue(4096);
    private final ByteQueue app = new ByteQueue(4096);
    /** Observation hooks (SPEC.md §6.6): the observer and key log of the config. */
    private final EngineEvents events;
    private final HandshakeDriver handshake;
    /** What the frames carry goes to its part; holds the {@link Traffic} after the handshake (SPEC.md §4.3, §4.12). */
    private final FrameDispatch dispatch;
    private final InboundFrames inbound;
    private final CloseState closing;
    private final ReceivedPlaintext plaintext;
    private final FatalErrors errors;
    private final EngineBuffers buffers;

    private QspEngine(Role role, QspEngineConfig config, SecureRandom random) {
        this.role = role;
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(random, "random");
        config.checkUsableBy(role);
        this.events = new EngineEvents(role, config);
        records.hook = events.recordHook();
        this.tasks = new DelegatedTasks(config.delegatedTasks());
        this.handshake = new HandshakeDriver(role, config, random, new KeySchedule(), records, out, events, tasks);
        this.dispatch = new FrameDispatch(handshake, events);
        this.inbound = new InboundFrames(records, app, dispatch);
        this.closing = new CloseState(records, out, inbound, app, new KeyErasure(tasks, records, handshake, dispatch, events));
        dispatch.closeWith(closing);
        this.plaintext = new ReceivedPlaintext(app, closing, events);
        this.errors = new FatalErrors(closing, handshake, dispatch, events);
        this.buffers = new EngineBuffers(out, app, inbound, handshake, dispatch);
        if (role == Role.SERVER) inbound.expectClientHelloFirst(); // pre-authentication bound, SPEC.md §4.13
    }

    /**
     * {@return a client engine; call {@link #start} to send the ClientHello}
     *
     * @param config what to offer and how to verify the server
     * @param random for the hello random and the signatures
     */
    public static QspEngine client(QspEngineConfig config, SecureRandom random) { return new QspEngine(Role.CLIENT, config, random); }

    /**
     * {@return a server engine; call {@link #start} when the connection is accepted (starts the handshake deadline)}
     *
     * @param config the server's identity, suites and policies
     * @param random for the hello random and the signatures
     */
    public static QspEngine server(QspEngineConfig config, SecureRandom random) { return new QspEngine(Role.SERVER, config, random); }

    /**
     * Starts the handshake: the client queues its ClientHello; both start the handshake deadline.
     *
     * @param nowNanos the time
     * @throws QspProtocolException if a key source fails (a {@link QspHandshakeException})
     */
    public void start(long nowNanos) throws QspProtocolException {
        closing.checkNotEnded();
        if (handshake.started()) throw new IllegalStateException("engine already started");
        handshake.start(nowNanos);
        events.started(nowNanos);
        errors.guarded(() -> {
            tasks.resume(nowNanos); // sets the time for an inline task
            handshake.enterFirstState();
        });
    }

    /**
     * Feeds bytes received from the peer (any split of the stream); processes every complete frame.
     *
     * @param b        the bytes
     * @param off      where they start in {@code b}
     * @param len      how many
     * @param nowNanos the time
     * @throws QspProtocolException the fatal error they caused, or the engine's earlier one
     */
    public void receive(byte[] b, int off, int len, long nowNanos) throws QspProtocolException {
        Objects.checkFromIndexSize(off, len, b.length);
        closing.checkNotFailed();
        process(nowNanos, () -> inbound.receive(b, off, len, nowNanos));
    }

    /**
     * Feeds bytes received from the peer; consumes all of {@code src}.
     *
     * @param src      the bytes
     * @param nowNanos the time
     * @throws QspProtocolException the fatal error they caused, or the engine's earlier one
     */
    public void receive(ByteBuffer src, long nowNanos) throws QspProtocolException {
        closing.checkNotFailed();
        process(nowNanos, () -> inbound.receive(src, nowNanos));
    }

    /**
     * The peer's byte stream ended. Clean only after its authenticated CLOSE; otherwise the connection was
     * truncated ({@code TRUNCATED}), which is never reported as a clean end.
     *
     * @throws QspProtocolException {@code TRUNCATED}, or the engine's earlier failure
     */
    public void receiveEndOfStream() throws QspProtocolException {
        closing.checkNotFailed();
        if (!closing.inboundClosed()) throw errors.fatal(closing.truncated());
    }

    /** {@return whether nothing more will be received (the peer's CLOSE, a failure, a local end), unread plaintext or not} */
    public boolean isInboundClosed() { return closing.inboundClosed(); }

    /** {@return the plaintext bytes ready for {@link #readApplicationData}} */
    public int available() { return plaintext.available(); }

    /**
     * Reads received application data; data authenticated before a failure or {@link #abort} comes first, the
     * error after it (SPEC.md §4.11).
     *
     * @param b   where to put it
     * @param off where in {@code b}
     * @param len at most this many bytes
     * @return the number of bytes read, 0 if none is buffered yet, or -1 once the peer has closed cleanly and
     *         everything before its CLOSE has been read
     * @throws QspProtocolException the engine's failure, once the data before it has been read
     */
    public int readApplicationData(byte[] b, int off, int len) throws QspProtocolException {
        Objects.checkFromIndexSize(off, len, b.length);
        return plaintext.read(b, off, len);
    }

    /**
     * As {@link #readApplicationData(byte[], int, int)} into a buffer.
     *
     * @param dst where to put it, as far as it has room
     * @return the number of bytes read, 0 or -1 as for the array form
     * @throws QspProtocolException the engine's failure, once the data before it has been read
     */
    public int readApplicationData(ByteBuffer dst) throws QspProtocolException {
        return plaintext.read(dst);
    }

    /**
     * Encrypts application data into frames of at most 16 KiB; rekeys may be interleaved (server triggers).
     *
     * @param b        the plaintext
     * @param off      where it starts in {@code b}
     * @param len      how many bytes
     * @param nowNanos the time
     * @throws QspProtocolException e.g. {@code LIMIT_REACHED} at the hard record limit (SPEC.md §4.13)
     */
    public void writeApplicationData(byte[] b, int off, int len, long nowNanos) throws QspProtocolException {
        Objects.checkFromIndexSize(off, len, b.length);
        closing.checkWritable(isHandshakeComplete());
        errors.guarded(() -> {
            resumeTask(nowNanos);
            traffic().write(b, off, len, nowNanos);
        });
    }

    /**
     * {@return how many APP_DATA frames {@link #writeApplicationData} can still seal under the current key before
     * {@code LIMIT_REACHED} (SPEC.md §4.13, §4.15)} A server keeps one back for its own REKEY_INIT; 0 before the
     * handshake completes and after the outbound side closed.
     */
    public long recordsBeforeHardLimit() {
        if (!isHandshakeComplete() || closing.outboundClosed() || closing.failure() != null || closing.endedLocally()) return 0;
        return traffic().recordsBeforeHardLimit();
    }

    /** {@return the bytes waiting to be sent to the peer} */
    public int pendingOutput() { return out.size(); }

    /**
     * Moves up to {@code len} pending bytes into {@code dst}.
     *
     * @param dst where to put them
     * @param off where in {@code dst}
     * @param len at most this many
     * @return how many were moved
     */
    public int drainOutput(byte[] dst, int off, int len) { return buffers.drain(dst, off, len); }

    /**
     * Moves pending bytes into {@code dst} as far as it has room.
     *
     * @param dst where to put them
     * @return how many were moved
     */
    public int drainOutput(ByteBuffer dst) { return buffers.drain(dst); }

    /**
     * Frames handed out by {@link #takeOutputChunk}, in order.
     *
     * @param array  the array the frames were sealed into, now the caller's
     * @param offset where the frames start
     * @param length how many bytes of frames
     */
    public record OutputChunk(byte[] array, int offset, int length) {
        @Override
        public String toString() { return "OutputChunk[" + length + " bytes]"; }
    }

    /**
     * Hands all pending output over without copying: the array the frames were sealed into goes to the caller, and
     * the engine goes on with {@code spare}, so two arrays alternate between engine and writer (SPEC.md §4.15).
     *
     * @param spare an array the caller no longer needs (typically the previous chunk's), or null to let the engine
     *              allocate
     * @return the pending frames, or null when nothing is pending
     */
    public OutputChunk takeOutputChunk(byte[] spare) { return buffers.takeChunk(spare); }

    /**
     * Writes all pending bytes to {@code sink} straight from the engine's buffer; if it throws, they count as written.
     *
     * @param sink where the bytes go
     * @return how many were written
     * @throws IOException what the sink threw
     */
    public int drainOutput(OutputSink sink) throws IOException { return buffers.drain(sink); }

    /** Drops the empty buffers above 4 KiB, for a caller about to wait for the peer (SPEC.md §4.15, §6.1). */
    public void trimBuffers() { buffers.trim(); }

    /**
     * Asks for a rekey: the server starts one (REKEY_INIT), the client sends REKEY_REQUEST (SPEC.md §4.10).
     *
     * @param kind     ratchet or fresh (the server decides what a client's request gets)
     * @param nowNanos the time
     * @return false if one is already in flight or requested (one at a time)
     * @throws QspProtocolException e.g. {@code LIMIT_REACHED} when the epoch space is exhausted
     */
    public boolean requestRekey(RekeyKind kind, long nowNanos) throws QspProtocolException {
        Objects.requireNonNull(kind, "kind");
        closing.checkWritable(isHandshakeComplete());
        try {
            resumeTask(nowNanos);
            return traffic().rekey().requestRekey(kind, nowNanos);
        } catch (QspProtocolException e) {
            throw errors.fatal(e);
        }
    }

    /** Half-close: queues an authenticated CLOSE_NOTIFY, the peer's data is still received; before the handshake completes, an abort. */
    public void closeOutbound() { closing.closeOutbound(isHandshakeComplete(), handshake.started()); }

    /**
     * Ends the engine locally without a protocol error (SPEC.md §4.11): erases every key and secret and the queued
     * output, closes both directions and sends nothing. Authenticated plaintext stays readable; after it, every call
     * throws {@link IllegalStateException}. Idempotent; a failed engine keeps its failure.
     */
    public void abort() { closing.abort(); }

    /** As {@link #abort}, and also erases the unread application data (SPEC.md §4.14). Idempotent. */
    public void destroy() { closing.destroy(); }

    /**
     * Applies time (the handshake deadlines, the server's rekey trigger) and consumes a finished task's result.
     *
     * @param nowNanos the time
     * @throws QspProtocolException {@code HANDSHAKE_TIMEOUT}, a key source's failure, or the engine's earlier one
     */
    public void tick(long nowNanos) throws QspProtocolException {
        closing.checkNotFailed();
        errors.guarded(() -> {
            handshake.checkDeadline(nowNanos, isHandshakeComplete());
            resumeTask(nowNanos);
            if (isHandshakeComplete()) traffic().rekey().checkTriggers(nowNanos);
        });
    }

    /**
     * {@return the earliest pending handshake deadline, to {@link #tick} by} (for a server still waiting for the
     * ClientHello, the first-flight deadline, SPEC.md §4.13); meaningful only while the handshake runs.
     */
    public long handshakeDeadlineNanos() { return handshake.deadlineNanos(); }

    /** The peer's bytes, once started and within the deadlines: frames are parsed by {@link InboundFrames} (§4.3). */
    private void process(long now, FatalErrors.Step receive) throws QspProtocolException {
        errors.guarded(() -> {
            if (!handshake.started()) start(now);
            handshake.checkDeadline(now, isHandshakeComplete());
            resumeTask(now);
            receive.run();
            buffers.releaseHandshakeBuffers();
        });
    }

    /**
     * {@return the key-source task this engine waits for, handed out once (as {@code SSLEngine.getDelegatedTask()});
     * null if there is none or it was handed out already} Run it on a thread of your own, never under the engine's
     * lock; the next {@link #tick} (or other timed call) consumes its result (SPEC.md §4.15).
     */
    public KeySourceTask delegatedTask() { return tasks.handOut(); }

    /** {@return whether a key-source task is outstanding (handed out or not) whose result has not been consumed} */
    public boolean isAwaitingTask() { return tasks.awaiting(); }

    /** {@return whether received bytes wait, unprocessed, for the outstanding task's result (SPEC.md §4.15)} */
    public boolean isInboundPaused() { return inbound.paused(); }

    /** Consumes a finished task's result: the handshake or rekey goes on, then the frames buffered meanwhile. */
    private void resumeTask(long now) throws QspProtocolException {
        if (!tasks.resume(now)) return;
        handshake.resume();
        inbound.resume(now);
        buffers.releaseHandshakeBuffers();
    }

    private Traffic traffic() { return dispatch.traffic(); }

    /** Test and fuzzing hook: seals {@code plaintext} as a REKEY frame under the current key, unchecked. */
    void insecureSendRekeyPlaintext(byte[] plaintext) throws QspProtocolException {
        records.seal(FrameType.REKEY, plaintext, 0, plaintext.length, out, Long.MAX_VALUE);
    }
    /** Test hook: the current epoch is numbered {@code epoch} (keys unchanged); both ends must jump alike. */
    void jumpEpochForTest(int epoch) { traffic().rekey().jumpEpochForTest(epoch); }
    /** Test hook: continues the protected sequences from {@code send} and {@code recv}. */
    void jumpSequencesForTest(long send, long recv) { records.jumpSequencesForTest(send, recv); }
    /** Test hook: bytes of buffer arrays the engine holds (frames in and out, handshake, plaintext). */
    int bufferedCapacity() { return buffers.capacity(); }

    /** {@return which side this engine plays} */
    public Role role() { return role; }
    /** {@return whether the handshake has completed} */
    public boolean isHandshakeComplete() { return dispatch.handshakeComplete(); }
    /** {@return whether no more application data will arrive (the peer closed cleanly, or the connection failed)} */
    public boolean isInboundDone() { return plaintext.done(); }
    /** {@return whether nothing more can be sent} */
    public boolean isOutboundDone() { return closing.outboundClosed(); }
    /** {@return whether both directions are closed} */
    public boolean isClosed() { return closing.inboundClosed() && closing.outboundClosed(); }
    /** {@return the error that ended the connection, if one did} */
    public Optional<QspProtocolException> failure() { return Optional.ofNullable(closing.failure()); }
    /** {@return what the handshake negotiated, or null before it completes} */
    public SessionInfo session() { return traffic() == null ? null : traffic().session(); }
    /** {@return the newest epoch this side has keys for (0 until the first rekey)} */
    public int epoch() { return traffic() == null ? 0 : traffic().rekey().epoch(); }
    /** {@return the epoch of the key this side sends with} */
    public int sendEpoch() { return records.sendEpoch(); }
    /** {@return the epoch of the key this side receives with} */
    public int receiveEpoch() { return records.recvEpoch(); }
    /** {@return the next sequence number to send in the current sending epoch} */
    public long sendSequence() { return records.sendSeq(); }
    /** {@return the next sequence number expected in the current receiving epoch} */
    public long receiveSequence() { return records.recvSeq(); }
    /** {@return what each key source did in the latest fresh rekey (SPEC.md §4.10, §5.6); empty before the first} */
    public List<KeySourceInfo> lastFreshRekeySources() { return traffic() == null ? List.of() : traffic().rekey().lastFresh(); }
    /** {@return the epoch (unsigned, as a long) that the latest fresh rekey led to, or -1 before the first} */
    public long lastFreshRekeyEpoch() { return traffic() == null ? -1 : traffic().rekey().lastFreshEpoch(); }
    /** {@return the kind of the rekey that led to {@link #epoch()} (SPEC.md §4.10), or null in epoch 0} */
    public RekeyKind lastRekeyKind() { return traffic() == null ? null : traffic().rekey().epochKind(); }
    /** {@return the number of completed rekeys} */
    public long rekeyCount() { return traffic() == null ? 0 : traffic().rekey().rekeyCount(); }
    /** {@return whether a rekey is in flight (server: INIT sent or being prepared; client: ACK being prepared or sent, COMMIT not yet received)} */
    public boolean isRekeyInFlight() { return traffic() != null && traffic().rekey().inFlight(); }

    @Override
    public String toString() {
        return "QspEngine[" + role + (isHandshakeComplete() ? ", epoch " + Integer.toUnsignedString(epoch()) : ", handshaking")
                + (closing.failure() != null ? ", failed " + closing.failure().error() : "") + "]";
    }
}
