package dev.qsp.sockets;

import dev.qsp.sockets.engine.Frames;
import dev.qsp.sockets.engine.QspEngine;
import dev.qsp.sockets.engine.RekeyKind;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * A QSP connection for non-blocking callers (a {@code Selector} loop, Netty, any event loop): the sans-I/O
 * {@link QspEngine} configured from a {@link QspContext}, with {@code SSLEngine}-style {@link #wrap} and
 * {@link #unwrap} calls whose {@link Result} says what the caller must do next (SPEC.md §4.15). Made by
 * {@link QspContext#createClientEngine(String)} and {@link QspContext#createServerEngine()}, with the same
 * identity, trust, suites, rekey policy and key sources as the context's sockets.
 *
 * <p>Single-threaded like the engine: one thread (the event loop) at a time. Never blocks: key-source work is
 * handed out as a delegated task ({@code Result.needsTask()}, {@link #delegatedTask()}) for the caller to run
 * on a thread of its own.
 *
 * <p>Copies: {@code unwrap} opens complete frames straight from {@code netIn} (a heap buffer's array, else the
 * buffer itself); only a frame split across calls is buffered. {@code wrap} seals straight from {@code appIn}'s
 * array (a direct buffer is copied into a 16 KiB scratch array first, as the engine seals from arrays).
 */
public final class QspNioEngine {
    /** What a call did, like {@code SSLEngineResult.Status}. */
    public enum Status {
        /** The call did what it could. */
        OK,
        /** {@code appOut} (unwrap) or {@code netOut} (wrap) is full: more is waiting; make room and call again. */
        BUFFER_OVERFLOW,
        /** This direction is closed: nothing more will be consumed (wrap) or produced (unwrap). */
        CLOSED
    }

    /**
     * The outcome of one call and what the caller must do next.
     *
     * @param status            see {@link Status}
     * @param bytesConsumed     bytes taken from the call's input buffer
     * @param bytesProduced     bytes put into the call's output buffer
     * @param handshakeFinished the handshake completed during this call (reported once)
     * @param needsWrap         frames wait to be sent: call {@link #wrap} (with an empty {@code appIn} if need be)
     * @param needsTask         a delegated task is outstanding: fetch it with {@link #delegatedTask()} (null if
     *                          already fetched), run it off the event loop, then call {@link #tick()}
     * @param inboundDone       the peer closed cleanly and all its data has been read
     * @param outboundDone      nothing more will be sent, and everything queued has been produced
     */
    public record Result(Status status, int bytesConsumed, int bytesProduced, boolean handshakeFinished,
                         boolean needsWrap, boolean needsTask, boolean inboundDone, boolean outboundDone) {}

    private final QspEngine engine;
    private final long rekeyIntervalNanos;
    private final long handshakeTimeoutNanos;
    private boolean finishedReported;
    private byte[] scratch;
    /** A server's place under the context's admission caps (SPEC.md §4.13, §6.2), null once released or never held. */
    private AdmissionGate.Ticket admission;

    private QspNioEngine(QspEngine engine, QspContext ctx) {
        this.engine = engine;
        this.rekeyIntervalNanos = ctx.rekeyInterval().isZero() ? 3_600_000_000_000L : ctx.rekeyInterval().toNanos();
        this.handshakeTimeoutNanos = ctx.handshakeTimeout().toNanos();
    }

    /** An engine for one connection of {@code ctx} (see {@link QspContext#createClientEngine}). */
    static QspNioEngine create(QspContext ctx, QspEngine.Role role, String peerHost) {
        Objects.requireNonNull(role, "role");
        String expected = null;
        if (role == QspEngine.Role.CLIENT) {
            if (ctx.trust() == null) {
                throw new IllegalStateException("a client context needs trust (trustStore or pinnedPeerKeys) to verify the server");
            }
            expected = ctx.expectedPeerIdentity() != null ? ctx.expectedPeerIdentity() : peerHost;
        } else if (ctx.identity() == null) {
            throw new IllegalStateException("a server context needs an identity (QspContext.Builder.identity)");
        }
        SecureRandom random = ctx.random() != null ? ctx.random() : new SecureRandom();
        var config = EngineCore.engineConfig(ctx, expected);
        QspEngine e = role == QspEngine.Role.CLIENT ? QspEngine.client(config, random) : QspEngine.server(config, random);
        return new QspNioEngine(e, ctx);
    }

    /**
     * A server engine for a connection from {@code peer}, admitted by the context's {@link AdmissionGate} before
     * anything is allocated for it; null when a cap is full (the refusal is counted; close the connection at once).
     * The engine holds the ticket until its handshake completes or fails, or it is aborted (SPEC.md §6.2).
     */
    static QspNioEngine admit(QspContext ctx, InetAddress peer) {
        Objects.requireNonNull(peer, "peer");
        AdmissionGate.Ticket ticket = ctx.admissionGate().tryAdmit(peer);
        if (ticket == null) return null;
        try {
            QspNioEngine nio = create(ctx, QspEngine.Role.SERVER, null);
            nio.admission = ticket;
            return nio;
        } catch (RuntimeException e) {
            ticket.release();
            throw e;
        }
    }

    /**
     * Gives the admission ticket back once the handshake has ended one way or the other (completed, failed,
     * closed; SPEC.md §6.2). Every call of this class does it; a caller that drives {@link #engine()} directly
     * (the Netty handler) calls it after its engine calls.
     */
    public void settleAdmission() {
        AdmissionGate.Ticket t = admission;
        if (t != null && (engine.isHandshakeComplete() || engine.failure().isPresent() || engine.isClosed()
                || engine.isOutboundDone())) {
            admission = null;
            t.release();
        }
    }

    /**
     * Whether this engine still holds a place under its context's admission caps (a server whose handshake runs).
     *
     * @return true until {@link #settleAdmission()} or {@link #abort()} has given the ticket back; always false
     *         for a client engine
     */
    public boolean holdsAdmission() { return admission != null; }

    /**
     * The engine itself, for callers that want its zero-copy output ({@link QspEngine#takeOutputChunk}).
     *
     * @return the sans-I/O engine this class drives (the same instance on every call)
     */
    public QspEngine engine() { return engine; }

    /**
     * Whether this is the client end of the connection.
     *
     * @return true for an engine from {@link QspContext#createClientEngine(String)}, false for a server engine
     */
    public boolean isClient() { return engine.role() == QspEngine.Role.CLIENT; }

    /**
     * The context's handshake time limit; the caller calls {@link #tick()} once it has passed.
     *
     * @return the limit in nanoseconds, counted from {@link #beginHandshake()}
     */
    public long handshakeTimeoutNanos() { return handshakeTimeoutNanos; }

    /**
     * How often a server should call {@link #tick()} while idle so that its rekey interval is kept (a quarter
     * of the interval, as the blocking shell does, SPEC.md §6.2).
     *
     * @return the period in nanoseconds: a quarter of the rekey interval (of one hour when the context has none),
     *         and at least 10 ms
     */
    public long tickPeriodNanos() { return Math.max(10_000_000L, rekeyIntervalNanos / 4); }

    /**
     * Starts the handshake (the client's hello is then waiting: {@code needsWrap}). Call once, when connected.
     *
     * @return status {@code OK}, with what to do next (a client's {@code needsWrap}, or {@code needsTask} while
     *         its key source prepares the ClientHello, SPEC.md §4.15)
     * @throws QspProtocolException the handshake could not start (the engine has failed)
     * @throws IllegalStateException the handshake was started already
     */
    public Result beginHandshake() throws QspProtocolException {
        try {
            engine.start(System.nanoTime());
            return result(Status.OK, 0, 0);
        } finally {
            settleAdmission();
        }
    }

    /**
     * Takes all of {@code netIn} (bytes from the peer, any split) and moves as much received application data
     * as fits into {@code appOut}. Call again with an empty {@code netIn} while the status is
     * {@code BUFFER_OVERFLOW}.
     *
     * @param netIn  bytes received from the peer; all of them are consumed
     * @param appOut where received application data is put, as much as fits
     * @return {@code BUFFER_OVERFLOW} while received data still waits for room in {@code appOut}, {@code CLOSED}
     *         once the peer closed cleanly and everything has been read, else {@code OK}; {@code bytesConsumed}
     *         is all of {@code netIn}
     * @throws QspProtocolException the connection failed (the CLOSE with the reason is then waiting: wrap it);
     *                              thrown only after the data authenticated before the failure has been read
     *                              (SPEC.md §4.11)
     */
    public Result unwrap(ByteBuffer netIn, ByteBuffer appOut) throws QspProtocolException {
        try {
            int consumed = netIn.remaining();
            if (consumed > 0) engine.receive(netIn, System.nanoTime());
            int produced = 0;
            if (engine.available() > 0 && appOut.hasRemaining()) produced = engine.readApplicationData(appOut);
            Status st = engine.available() > 0 ? Status.BUFFER_OVERFLOW
                    : engine.isInboundDone() ? Status.CLOSED : Status.OK;
            if (engine.available() == 0 && engine.isInboundClosed() && engine.failure().isPresent()) {
                throw engine.failure().get(); // authenticated data first, then the error (SPEC.md §4.11)
            }
            return result(st, consumed, produced);
        } finally {
            settleAdmission();
        }
    }

    /**
     * Seals as much of {@code appIn} as the record limits allow (nothing before the handshake completes, or
     * while a rekey must complete first, SPEC.md §4.13) and moves pending frames into {@code netOut}.
     *
     * @param appIn  application data to send (may be empty, to move only pending frames); what is not consumed
     *               stays in the buffer for the next call
     * @param netOut where the frames to send to the peer are put, as much as fits
     * @return {@code BUFFER_OVERFLOW} while frames still wait for room in {@code netOut}, {@code CLOSED} once
     *         nothing more can be sent, else {@code OK}
     * @throws QspProtocolException sealing {@code appIn} failed, or it had data but the connection has failed
     *                              already (the failure is thrown again)
     */
    public Result wrap(ByteBuffer appIn, ByteBuffer netOut) throws QspProtocolException {
        try {
            int consumed = 0;
            if (appIn.hasRemaining()) {
                if (engine.isOutboundDone()) {
                    if (engine.failure().isPresent()) throw engine.failure().get();
                    return result(Status.CLOSED, 0, drain(netOut));
                }
                if (engine.isHandshakeComplete()) consumed = seal(appIn);
            }
            int produced = drain(netOut);
            Status st = engine.pendingOutput() > 0 ? Status.BUFFER_OVERFLOW
                    : engine.isOutboundDone() ? Status.CLOSED : Status.OK;
            return result(st, consumed, produced);
        } finally {
            settleAdmission();
        }
    }

    private int seal(ByteBuffer appIn) throws QspProtocolException {
        long now = System.nanoTime();
        long room = engine.recordsBeforeHardLimit();
        if (room == 0) {
            engine.tick(now); // a server's time trigger may start the rekey that frees the room
            return 0;
        }
        int n = (int) Math.min(appIn.remaining(), room * Frames.MAX_PLAINTEXT);
        if (appIn.hasArray()) {
            engine.writeApplicationData(appIn.array(), appIn.arrayOffset() + appIn.position(), n, now);
            appIn.position(appIn.position() + n);
            return n;
        }
        if (scratch == null) scratch = new byte[Frames.MAX_PLAINTEXT];
        int done = 0;
        while (done < n) {
            int k = Math.min(scratch.length, n - done);
            appIn.get(scratch, 0, k);
            engine.writeApplicationData(scratch, 0, k, now);
            done += k;
        }
        java.util.Arrays.fill(scratch, (byte) 0); // plaintext does not linger (SPEC.md §4.14)
        return done;
    }

    private int drain(ByteBuffer netOut) {
        return engine.pendingOutput() > 0 && netOut.hasRemaining() ? engine.drainOutput(netOut) : 0;
    }

    /**
     * Half-close: queues the authenticated CLOSE (CLOSE_NOTIFY); then wrap until {@code outboundDone}. Before the
     * handshake has completed this aborts the connection instead (as {@link QspEngine#closeOutbound()} does).
     *
     * @return status {@code CLOSED}; {@code needsWrap} while the CLOSE waits to be sent
     */
    public Result closeOutbound() {
        engine.closeOutbound();
        settleAdmission();
        return result(Status.CLOSED, 0, 0);
    }

    /**
     * The peer's TCP stream ended: clean after its CLOSE, else the connection was truncated.
     *
     * @return status {@code CLOSED} (the stream ended cleanly)
     * @throws QspProtocolException {@code TRUNCATED} (the engine has failed)
     */
    public Result endOfStream() throws QspProtocolException {
        try {
            engine.receiveEndOfStream();
            return result(Status.CLOSED, 0, 0);
        } finally {
            settleAdmission();
        }
    }

    /**
     * Applies time (the handshake deadline, a server's rekey interval) and takes in a finished delegated task.
     *
     * @return status {@code OK}, with what to do next ({@code needsWrap} when the task or a rekey queued frames,
     *         {@code needsTask} when the next task waits)
     * @throws QspProtocolException the handshake deadline has passed ({@code HANDSHAKE_TIMEOUT}), the key-source
     *                              work of the delegated task failed, a rekey the time trigger started failed,
     *                              or the connection had failed already
     */
    public Result tick() throws QspProtocolException {
        try {
            engine.tick(System.nanoTime());
            return result(Status.OK, 0, 0);
        } finally {
            settleAdmission();
        }
    }

    /**
     * Asks for a rekey (the server starts it, the client asks the server); false if one is already under way
     * (one at a time, SPEC.md §4.10).
     *
     * @param kind the rekey to ask for (its key source, SPEC.md §4.10)
     * @return true if the rekey was started or requested (frames then wait: wrap them), false if one is already
     *         in flight or requested, or nothing more can be sent
     * @throws QspProtocolException starting the rekey failed (the engine has failed)
     * @throws IllegalStateException the handshake has not completed
     */
    public boolean requestRekey(RekeyKind kind) throws QspProtocolException {
        try {
            if (engine.isOutboundDone()) return false;
            return engine.requestRekey(kind, System.nanoTime());
        } finally {
            settleAdmission();
        }
    }

    /**
     * Work the engine hands out instead of blocking (key sources: the KEM key pair of a ClientHello, a KME call,
     * SPEC.md §4.15), handed out once; null when there is none or it was handed out already. Run it off the
     * event loop (it may block), then call {@link #tick()} on the loop: that consumes its result, which may queue
     * frames ({@code needsWrap}) or the next task. Application data keeps flowing meanwhile.
     *
     * @return the outstanding task, or null
     */
    public Runnable delegatedTask() {
        return engine.delegatedTask();
    }

    /** Ends the connection locally without sending anything (the transport failed); erases every key. */
    public void abort() {
        engine.abort();
        AdmissionGate.Ticket t = admission; // whatever the engine's state: the connection is over
        admission = null;
        if (t != null) t.release();
    }

    /**
     * Bytes waiting to be sent.
     *
     * @return the number of frame bytes queued for {@link #wrap}
     */
    public int pendingOutput() { return engine.pendingOutput(); }

    /**
     * Received plaintext waiting to be read by {@code unwrap}.
     *
     * @return the number of authenticated application-data bytes not yet read
     */
    public int available() { return engine.available(); }

    /**
     * Whether the handshake has completed.
     *
     * @return true once both ends are authenticated and application data may flow
     */
    public boolean isHandshakeComplete() { return engine.isHandshakeComplete(); }

    /**
     * Whether no more application data will arrive.
     *
     * @return true once the peer closed cleanly, or the connection failed, and all received data has been read
     */
    public boolean isInboundDone() { return engine.isInboundDone(); }

    /**
     * Whether nothing more can be sent.
     *
     * @return true once the outbound side is closed (closed locally, or the connection failed or was aborted);
     *         queued frames may still wait for {@link #wrap} ({@link Result#outboundDone()} says when they are out)
     */
    public boolean isOutboundDone() { return engine.isOutboundDone(); }

    /**
     * What the handshake negotiated, as of now (epoch, rekeys).
     *
     * @return a snapshot of the session: later rekeys do not change it
     * @throws IllegalStateException the handshake has not completed
     */
    public QspSession session() { return EngineCore.session(engine); }

    private Result result(Status st, int consumed, int produced) {
        boolean finished = false;
        if (!finishedReported && engine.isHandshakeComplete()) {
            finishedReported = true;
            finished = true;
        }
        return new Result(st, consumed, produced, finished, engine.pendingOutput() > 0, engine.isAwaitingTask(),
                engine.isInboundDone(), engine.isOutboundDone() && engine.pendingOutput() == 0);
    }

    @Override
    public String toString() { return "QspNioEngine[" + engine + "]"; }
}
