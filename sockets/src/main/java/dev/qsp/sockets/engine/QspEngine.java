package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspHandshakeException;
import dev.qsp.sockets.QspProtocolException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
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
    public enum Role { CLIENT, SERVER }

    private final Role role;
    private final QspEngineConfig config;
    private final RecordLayer records = new RecordLayer();
    private final KeySchedule schedule = new KeySchedule();
    private final HandshakeContext ctx;
    /** Key-source work, inline or handed out (SPEC.md §4.15). */
    private final DelegatedTasks tasks;
    // Buffers are allocated on first use and grow to what the traffic needs; the handshake's are dropped when it
    // completes, so an idle connection holds no frame-sized arrays (SPEC.md §4.15).
    private final ByteQueue handshakeOut = new ByteQueue(8192);
    private final ByteQueue out = new ByteQueue(4096);
    private final ByteQueue app = new ByteQueue(4096);
    private final InboundFrames inbound = new InboundFrames(records, app, new InboundFrames.Receiver() {
        @Override
        public boolean failed() { return closing.failure() != null; }

        @Override
        public boolean inboundClosed() { return closing.inboundClosed(); }

        @Override
        public boolean paused() {
            return state instanceof HandshakeState.Awaiting || (rekey != null && rekey.pausesInbound());
        }

        @Override
        public boolean handshakeMessage(byte[] msg) throws QspProtocolException {
            events.handshakeReceived(msg);
            state = state.handle(ctx, HandshakeMessage.decode(msg), msg);
            flushHandshake();
            return state instanceof HandshakeState.Complete;
        }

        @Override
        public void handshakeComplete(long now) throws QspProtocolException { complete((HandshakeState.Complete) state, now); }

        @Override
        public void rekeyMessage(RekeyMessage msg, byte[] plain, long now) throws QspProtocolException {
            events.rekeyReceived(msg);
            rekey.onMessage(msg, plain, now);
        }

        @Override
        public QspProtocolException close(byte[] plain, int off, int len) throws QspProtocolException {
            return closing.remoteClose(plain, off, len, "", handshakeComplete);
        }

        @Override
        public void protectedFrameDone(long now) throws QspProtocolException {
            if (closing.failure() == null) rekey.checkTriggers(now);
        }
    });
    private final CloseState closing = new CloseState(records, out, inbound, app, this::destroyKeys);
    private final RekeyDriver.Sender rekeySender = new RekeyDriver.Sender() {
        @Override
        public boolean canSend() { return !closing.outboundClosed() && closing.failure() == null; }

        @Override
        public void sendRekey(byte[] p) throws QspProtocolException {
            events.rekeySent(p);
            records.seal(FrameType.REKEY, p, 0, p.length, out, Long.MAX_VALUE);
        }

        @Override
        public void completed(RekeyKind kind, int epoch, long nanos, java.util.List<KeySourceInfo> fresh) {
            events.rekeyComplete(kind, epoch, nanos, fresh);
        }
    };

    /** Observation hooks (SPEC.md §6.6): the observer and key log of the config. */
    private final EngineEvents events;
    private HandshakeState state;
    private boolean started;
    private long handshakeDeadline;
    /** Server: the ClientHello must be complete by then (first-flight deadline, SPEC.md §4.13). */
    private long helloDeadline;
    private boolean handshakeComplete;
    private SessionInfo session;
    private RekeyDriver rekey;
    /** The handshake completed and its buffers have not been dropped yet (see {@link #releaseHandshakeBuffers}). */
    private boolean handshakeBuffersHeld = true;

    private QspEngine(Role role, QspEngineConfig config, SecureRandom random) {
        this.role = role;
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(random, "random");
        if (role == Role.SERVER && config.identity() == null) throw new IllegalArgumentException("a server needs an identity");
        if (role == Role.CLIENT && config.trust() == null) throw new IllegalArgumentException("a client needs a trust configuration");
        if (role == Role.CLIENT && !config.trust().isPinned() && config.expectedPeerIdentity() == null) {
            // PKIX alone would accept any certificate the anchors ever issued (SPEC.md §4.7).
            throw new IllegalArgumentException("a client verifying by PKIX needs the expected server identity");
        }
        if (role == Role.SERVER && config.requireClientAuth() && config.trust() == null) {
            throw new IllegalArgumentException("a server that requires client authentication needs a trust configuration");
        }
        this.events = new EngineEvents(role, config);
        records.hook = events.recordHook();
        this.tasks = new DelegatedTasks(config.delegatedTasks());
        this.ctx = new HandshakeContext(config, random, schedule, enc -> {
            events.handshakeSent(enc);
            handshakeOut.write(enc, 0, enc.length);
        }, tasks);
        if (role == Role.SERVER) inbound.expectClientHelloFirst(); // pre-authentication bound, SPEC.md §4.13
    }

    /** A client engine; call {@link #start} to send the ClientHello. */
    public static QspEngine client(QspEngineConfig config, SecureRandom random) {
        return new QspEngine(Role.CLIENT, config, random);
    }

    /** A server engine; call {@link #start} when the connection is accepted (starts the handshake deadline). */
    public static QspEngine server(QspEngineConfig config, SecureRandom random) {
        return new QspEngine(Role.SERVER, config, random);
    }

    /** Starts the handshake: the client queues its ClientHello; both start the handshake deadline. */
    public void start(long nowNanos) throws QspProtocolException {
        closing.checkNotEnded();
        if (started) throw new IllegalStateException("engine already started");
        started = true;
        handshakeDeadline = nowNanos + config.handshakeTimeoutNanos();
        helloDeadline = nowNanos + Math.min(config.helloTimeoutNanos(), config.handshakeTimeoutNanos());
        events.started(nowNanos);
        try {
            tasks.resume(nowNanos); // sets the time for an inline task
            state = role == Role.CLIENT ? ClientHandshake.start(ctx) : ServerHandshake.start();
            flushHandshake();
        } catch (QspProtocolException e) {
            throw fatal(e);
        }
    }

    /** Feeds bytes received from the peer (any split of the stream); processes every complete frame. */
    public void receive(byte[] b, int off, int len, long nowNanos) throws QspProtocolException {
        Objects.checkFromIndexSize(off, len, b.length);
        closing.checkNotFailed();
        process(b, off, len, null, nowNanos);
    }

    /** Feeds bytes received from the peer; consumes all of {@code src}. */
    public void receive(ByteBuffer src, long nowNanos) throws QspProtocolException {
        closing.checkNotFailed();
        if (src.hasArray()) {
            int n = src.remaining();
            int at = src.arrayOffset() + src.position();
            src.position(src.limit());
            process(src.array(), at, n, null, nowNanos);
        } else {
            process(null, 0, 0, src, nowNanos);
        }
    }

    /**
     * The peer's byte stream ended. Clean only after its authenticated CLOSE; otherwise the connection was
     * truncated ({@code TRUNCATED}), which is never reported as a clean end.
     */
    public void receiveEndOfStream() throws QspProtocolException {
        closing.checkNotFailed();
        if (closing.inboundClosed()) return;
        throw fatal(new QspProtocolException(QspError.TRUNCATED,
                "the peer's stream ended without an authenticated CLOSE" + (inbound.buffered() > 0 ? " (inside a frame)" : "")));
    }

    /**
     * Whether nothing more will be received: the peer's CLOSE arrived, or the engine failed or ended. Unlike
     * {@link #isInboundDone()} this ignores unread plaintext; a rekey (which needs the peer's answer, §4.10)
     * can no longer complete.
     */
    public boolean isInboundClosed() { return closing.inboundClosed(); }

    /** Plaintext bytes ready for {@link #readApplicationData}. */
    public int available() { return app.size(); }

    /**
     * Reads received application data: the number of bytes read, 0 if none is buffered yet, or -1 once the
     * peer has closed cleanly and everything before its CLOSE has been read.
     *
     * <p>Data authenticated before a fatal error (or before {@link #abort}) is still delivered, and the error is
     * thrown once it has been read, like a TCP stream that delivers its data before reporting a reset
     * (SPEC.md §4.11): nothing the peer sent and the engine authenticated is silently lost.
     */
    public int readApplicationData(byte[] b, int off, int len) throws QspProtocolException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (app.size() > 0 && len > 0) return delivered(app.read(b, off, len));
        return noBufferedData();
    }

    /** As {@link #readApplicationData(byte[], int, int)} into a buffer. */
    public int readApplicationData(ByteBuffer dst) throws QspProtocolException {
        if (app.size() > 0 && dst.hasRemaining()) return delivered(app.read(dst));
        return noBufferedData();
    }

    private int delivered(int n) {
        events.applicationData(false, n);
        return n;
    }

    private int noBufferedData() throws QspProtocolException {
        closing.checkNotFailed();
        return closing.inboundClosed() && app.size() == 0 ? -1 : 0;
    }

    /** Encrypts application data into frames of at most 16 KiB; rekeys may be interleaved (server triggers). */
    public void writeApplicationData(byte[] b, int off, int len, long nowNanos) throws QspProtocolException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkWritable();
        try {
            resumeTask(nowNanos);
            long hard = rekey.hardRecordLimit();
            int end = off + len;
            for (int p = off; p < end; ) {
                int n = Math.min(Frames.MAX_PLAINTEXT, end - p);
                records.seal(FrameType.APP_DATA, b, p, n, out, hard);
                p += n;
                rekey.checkTriggers(nowNanos);
            }
            events.applicationData(true, len);
        } catch (QspProtocolException e) {
            throw fatal(e);
        }
    }

    private void checkWritable() throws QspProtocolException {
        closing.checkNotFailed();
        if (!handshakeComplete) throw new IllegalStateException("the handshake has not completed");
        if (closing.outboundClosed()) throw new IllegalStateException("outbound side is closed");
    }

    /**
     * How many APP_DATA frames (of up to 16 KiB each) {@link #writeApplicationData} can still seal under the
     * current sending key before the hard record limit (SPEC.md §4.13) would make it fail with
     * {@code LIMIT_REACHED}. On a server that has no rekey in flight one frame is kept back for the REKEY_INIT
     * its own trigger may seal in the middle of a write. 0 until the handshake completes, after the outbound
     * side closed, and when only a completed rekey can make room.
     */
    public long recordsBeforeHardLimit() {
        if (!handshakeComplete || closing.outboundClosed() || closing.failure() != null || closing.endedLocally()) return 0;
        long room = rekey.hardRecordLimit() - records.sendSeq();
        if (rekey.initNotSealed()) room--;
        return Math.max(0, room);
    }

    /** Bytes waiting to be sent to the peer. */
    public int pendingOutput() { return out.size(); }

    /** Moves up to {@code len} pending bytes into {@code dst}; returns how many. */
    public int drainOutput(byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        int n = out.read(dst, off, len);
        releaseHandshakeBuffers();
        return n;
    }

    /** Moves pending bytes into {@code dst} as far as it has room; returns how many. */
    public int drainOutput(ByteBuffer dst) {
        int n = out.read(dst);
        releaseHandshakeBuffers();
        return n;
    }

    /** Frames handed out by {@link #takeOutputChunk}: {@code array[offset, offset + length)}, in order. */
    public record OutputChunk(byte[] array, int offset, int length) {
        @Override
        public String toString() { return "OutputChunk[" + length + " bytes]"; }
    }

    /**
     * Hands all pending output over without copying, for a caller that writes it to the wire after releasing
     * whatever lock guards the engine: the engine gives away the array its frames were sealed into and goes on
     * with {@code spare} (an array the caller no longer needs, typically the previous chunk's; null to let the
     * engine allocate). Two arrays then alternate between engine and writer. Returns null when nothing is pending.
     * The chunk holds only frames as they go on the wire (ciphertext and public handshake messages).
     */
    public OutputChunk takeOutputChunk(byte[] spare) {
        int n = out.size();
        if (n == 0) return null;
        int start = out.start();
        byte[] a = out.handOver(spare);
        releaseHandshakeBuffers();
        return new OutputChunk(a, start, n);
    }

    /**
     * Writes all pending bytes to {@code sink} straight from the engine's buffer (no extra copy) and returns how
     * many. If the sink throws, the bytes are considered written.
     */
    public int drainOutput(OutputSink sink) throws IOException {
        int n = out.size();
        if (n == 0) return 0;
        int start = out.start();
        out.skip(n);
        try {
            sink.write(out.array(), start, n);
        } finally {
            releaseHandshakeBuffers();
        }
        return n;
    }

    /**
     * Once the handshake has completed and its last flight has left, drops the arrays that held it (the
     * handshake queues, and the frame queues if they are empty): the traffic that follows allocates what it
     * needs. Done once; later traffic keeps its buffers, as they are likely to be needed again.
     */
    private void releaseHandshakeBuffers() {
        if (!handshakeComplete || !handshakeBuffersHeld || out.size() > 0) return;
        handshakeBuffersHeld = false;
        handshakeOut.release();
        inbound.release();
        out.release();
    }

    /**
     * Drops the frame-sized buffers that are empty now (received plaintext all read, no partial frame, no output
     * pending), keeping those of at most 4 KiB: for a caller about to wait for the peer, so that an idle
     * connection with a reader blocked in {@code read} holds no large array it is not using (SPEC.md §6.1).
     * The next frame allocates what it needs again. Before the handshake completes it does nothing.
     */
    public void trimBuffers() {
        if (!handshakeComplete || handshakeBuffersHeld) return;
        app.releaseIfLarger(IDLE_BUFFER_KEEP);
        inbound.trim(IDLE_BUFFER_KEEP);
        out.releaseIfLarger(IDLE_BUFFER_KEEP);
    }

    private static final int IDLE_BUFFER_KEEP = 4096;

    /**
     * Asks for a rekey: the server starts one (REKEY_INIT), the client sends REKEY_REQUEST. Returns false if one
     * is already in flight or requested (one at a time, SPEC.md §4.10).
     */
    public boolean requestRekey(RekeyKind kind, long nowNanos) throws QspProtocolException {
        Objects.requireNonNull(kind, "kind");
        checkWritable();
        try {
            resumeTask(nowNanos);
            return rekey.requestRekey(kind, nowNanos);
        } catch (QspProtocolException e) {
            throw fatal(e);
        }
    }

    /**
     * Half-close: queues an authenticated CLOSE (reason CLOSE_NOTIFY); nothing more is sent, the peer's data is
     * still received. Before the handshake has completed this aborts the connection instead.
     */
    public void closeOutbound() { closing.closeOutbound(handshakeComplete, started); }

    /**
     * Ends the engine locally without a protocol error, for when the transport failed or the application gave
     * up: erases every key and secret and the queued output, closes both directions and sends nothing (it does
     * not pretend that the peer truncated the stream). Application data that was already authenticated stays
     * readable (SPEC.md §4.11); once it is read, and for every other call, the engine throws
     * {@link IllegalStateException}. Idempotent; a failed engine keeps its failure.
     */
    public void abort() { closing.abort(); }

    /**
     * As {@link #abort}, and also erases the application data not yet read (SPEC.md §4.14: buffered plaintext
     * is zeroed on close). Idempotent.
     */
    public void destroy() { closing.destroy(); }

    /** Applies time: the handshake deadline and the server's time-based rekey trigger. */
    public void tick(long nowNanos) throws QspProtocolException {
        closing.checkNotFailed();
        try {
            checkDeadline(nowNanos);
            resumeTask(nowNanos);
            if (handshakeComplete) rekey.checkTriggers(nowNanos);
        } catch (QspProtocolException e) {
            throw fatal(e);
        }
    }

    /**
     * The earliest deadline of the handshake still pending (the caller should {@link #tick} by then): for a
     * server still waiting for the ClientHello its first-flight deadline, otherwise the handshake deadline.
     * Meaningful only while the handshake runs ({@link #isHandshakeComplete()} false after {@link #start}).
     */
    public long handshakeDeadlineNanos() { return awaitingClientHello() ? helloDeadline : handshakeDeadline; }

    private boolean awaitingClientHello() {
        return role == Role.SERVER && state instanceof ServerHandshake.ExpectClientHello;
    }

    private void checkDeadline(long now) throws QspProtocolException {
        if (started && awaitingClientHello() && now - helloDeadline >= 0) {
            throw new QspHandshakeException(QspError.HANDSHAKE_TIMEOUT, "no complete ClientHello within "
                    + Math.min(config.helloTimeoutNanos(), config.handshakeTimeoutNanos()) / 1_000_000 + " ms");
        }
        if (started && !handshakeComplete && now - handshakeDeadline >= 0) {
            throw new QspHandshakeException(QspError.HANDSHAKE_TIMEOUT,
                    "handshake not complete within " + config.handshakeTimeoutNanos() / 1_000_000 + " ms");
        }
    }

    // ---- inbound ---------------------------------------------------------------------------------------

    /** Processes the peer's bytes: frame parsing and dispatch are {@link InboundFrames} (SPEC.md §4.3). */
    private void process(byte[] b, int off, int len, ByteBuffer src, long now) throws QspProtocolException {
        try {
            if (!started) start(now);
            checkDeadline(now);
            resumeTask(now);
            if (b == null) {
                inbound.receive(src, now);
            } else {
                inbound.receive(b, off, len, now);
            }
            releaseHandshakeBuffers();
        } catch (QspProtocolException e) {
            throw fatal(e);
        }
    }

    // ---- delegated key-source tasks (SPEC.md §4.15) ------------------------------------------------------

    /**
     * The key-source task this engine waits for, handed out once (as {@code SSLEngine.getDelegatedTask()}); null
     * if there is none or it was handed out already. Only with {@code QspEngineConfig.delegatedTasks(true)}; look
     * after {@link #start}, {@link #receive}, {@link #tick}, {@link #requestRekey} and
     * {@link #writeApplicationData}. Run it on a thread of your own, never under the lock that guards this
     * engine; once it has returned, any of those calls ({@link #tick} is the canonical one) consumes its result
     * on this engine's thread, which may queue output and hand out the next task.
     */
    public KeySourceTask delegatedTask() { return tasks.handOut(); }

    /** A key-source task is outstanding (handed out or not) whose result this engine has not consumed yet. */
    public boolean isAwaitingTask() { return tasks.awaiting(); }

    /**
     * Received bytes are buffered, not processed, until the outstanding task's result is consumed (during the
     * handshake, and on a server completing a fresh REKEY_ACK): a caller that would block reading the wire
     * should rather wait for the task, since its result may make buffered application data readable.
     */
    public boolean isInboundPaused() { return inbound.paused(); }

    /**
     * Consumes a finished task's result: the handshake goes on from the state that waited for it (and then with
     * the frames buffered meanwhile), or the rekey sends its INIT, ACK or COMMIT. A key source's failure is thrown.
     */
    private void resumeTask(long now) throws QspProtocolException {
        if (!tasks.resume(now)) return;
        if (state instanceof HandshakeState.Awaiting a && a.next != null) {
            state = a.next;
            flushHandshake();
        }
        inbound.resume(now);
        releaseHandshakeBuffers();
    }

    /** The handshake's {@link HandshakeState.Complete}: its E_0 goes to the rekey driver of this role (SPEC.md §4.12). */
    private void complete(HandshakeState.Complete done, long now) throws QspProtocolException {
        handshakeComplete = true;
        session = done.session();
        rekey = RekeyDriver.of(role, records, schedule, done.aead(), done.freshRekeySources(),
                config.rekeyPolicy(), rekeySender, tasks);
        rekey.establish(done.epochZero(), now);
        events.handshakeComplete(session, now);
    }

    private void flushHandshake() {
        while (handshakeOut.size() > 0) {
            int n = Math.min(Frames.MAX_PLAIN_PAYLOAD, handshakeOut.size());
            records.writePlain(FrameType.HANDSHAKE, handshakeOut.array(), handshakeOut.start(), n, out);
            handshakeOut.skip(n);
        }
    }

    // ---- errors and close ------------------------------------------------------------------------------

    /** Makes {@code e} the engine's failure (see {@link CloseState#fatal}); call sites read {@code throw fatal(...)}. */
    private QspProtocolException fatal(QspProtocolException e) {
        if (closing.failure() == null) events.failed(e, handshakeComplete, rekey != null && rekey.inFlight());
        return closing.fatal(e, handshakeComplete, started);
    }

    private void destroyKeys() {
        tasks.abandon();
        records.destroy();
        if (rekey != null) rekey.destroy();
        ctx.destroy();
        if (state != null) state.destroy();
        events.ended(handshakeComplete);
    }

    /**
     * Test and fuzzing hook (package-private): seals {@code plaintext} as a REKEY frame under the current sending
     * key without any of the rekey driver's checks, so tests can make a peer misbehave with authenticated frames.
     */
    void insecureSendRekeyPlaintext(byte[] plaintext) throws QspProtocolException {
        records.seal(FrameType.REKEY, plaintext, 0, plaintext.length, out, Long.MAX_VALUE);
    }

    /**
     * Test hook (package-private): numbers the current epoch {@code epoch} (its keys unchanged) so that the next
     * rekey leads to {@code epoch + 1}; both ends must jump alike. Lets tests reach large epochs and the end of the
     * epoch space without 2^32 rekeys.
     */
    void jumpEpochForTest(int epoch) { rekey.jumpEpochForTest(epoch); }

    /** Test hook (package-private): continues the protected sequences from {@code send} and {@code recv}. */
    void jumpSequencesForTest(long send, long recv) { records.jumpSequencesForTest(send, recv); }

    /** Test hook: bytes of buffer arrays the engine holds (frames in and out, handshake, plaintext). */
    int bufferedCapacity() {
        return handshakeOut.capacity() + inbound.capacity() + out.capacity() + app.capacity();
    }

    // ---- state ------------------------------------------------------------------------------------------

    public Role role() { return role; }

    public boolean isHandshakeComplete() { return handshakeComplete; }

    /** No more application data will arrive (the peer closed cleanly, or the connection failed). */
    public boolean isInboundDone() { return closing.inboundClosed() && app.size() == 0; }

    /** Nothing more can be sent. */
    public boolean isOutboundDone() { return closing.outboundClosed(); }

    /** Both directions are closed. */
    public boolean isClosed() { return closing.inboundClosed() && closing.outboundClosed(); }

    /** The error that ended the connection, if one did. */
    public Optional<QspProtocolException> failure() { return Optional.ofNullable(closing.failure()); }

    /** What the handshake negotiated, or null before it completes. */
    public SessionInfo session() { return session; }

    /** The newest epoch this side has keys for (0 until the first rekey). */
    public int epoch() { return rekey == null ? 0 : rekey.epoch(); }

    /** Epoch of the key this side sends with. */
    public int sendEpoch() { return records.sendEpoch(); }

    /** Epoch of the key this side receives with. */
    public int receiveEpoch() { return records.recvEpoch(); }

    /** Next sequence number to send in the current sending epoch. */
    public long sendSequence() { return records.sendSeq(); }

    /** Next sequence number expected in the current receiving epoch. */
    public long receiveSequence() { return records.recvSeq(); }

    /**
     * The key sources of the latest fresh rekey (SPEC.md §5.6): each with its id, whether it contributed and its
     * public description (for QKD the new key ID, or the fallback). Empty before the first fresh rekey; the
     * client's list is updated when it sends REKEY_ACK, the server's when it receives it.
     */
    public java.util.List<KeySourceInfo> lastFreshRekeySources() { return rekey == null ? java.util.List.of() : rekey.lastFresh(); }

    /** The epoch (unsigned, as a long) that the latest fresh rekey led to, or -1 before the first. */
    public long lastFreshRekeyEpoch() { return rekey == null ? -1 : rekey.lastFreshEpoch(); }

    /**
     * The kind of the rekey that led to {@link #epoch()} ({@code RATCHET} or {@code FRESH}, SPEC.md §4.10), or
     * null in epoch 0.
     */
    public RekeyKind lastRekeyKind() { return rekey == null ? null : rekey.epochKind(); }

    /** Completed rekeys. */
    public long rekeyCount() { return rekey == null ? 0 : rekey.rekeyCount(); }

    /** Whether a rekey is in flight (server: INIT sent, ACK not yet received; client: ACK sent, COMMIT not yet received). */
    public boolean isRekeyInFlight() { return rekey != null && rekey.inFlight(); }

    @Override
    public String toString() {
        return "QspEngine[" + role + (handshakeComplete ? ", epoch " + Integer.toUnsignedString(epoch()) : ", handshaking")
                + (closing.failure() != null ? ", failed " + closing.failure().error() : "") + "]";
    }
}
