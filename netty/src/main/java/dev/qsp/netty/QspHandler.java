package dev.qsp.netty;

import dev.qsp.sockets.QspContext;
import dev.qsp.sockets.QspNioEngine;
import dev.qsp.sockets.QspProtocolException;
import dev.qsp.sockets.QspSession;
import dev.qsp.sockets.engine.Frames;
import dev.qsp.sockets.engine.QspEngine;
import dev.qsp.sockets.engine.RekeyKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * QSP for a Netty pipeline, as {@code SslHandler} is TLS: put it first, and the handlers after it read and
 * write plaintext {@link ByteBuf}s (SPEC.md §6.7). A thin shell over the sans-I/O engine: it moves bytes, runs
 * delegated tasks and applies time; every protocol decision is the engine's.
 *
 * <ul>
 *   <li>The handshake starts when the channel becomes active; {@link #handshakeFuture()} completes with the
 *       session (or the failure), and a {@link QspHandshakeCompletionEvent} goes down the pipeline. Writes made
 *       before it completes are queued (and count against the channel's writability).</li>
 *   <li>Rekeys are transparent: the engine's triggers start them, their frames are sent as they appear, and each
 *       completed one fires a {@link QspRekeyEvent}. A write that would pass the hard record limit waits for the
 *       rekey in flight (SPEC.md §4.13).</li>
 *   <li>{@code close()} sends the authenticated CLOSE (CLOSE_NOTIFY) and closes once it is written (at most
 *       {@link #CLOSE_FLUSH_TIMEOUT_MILLIS} later). {@link #closeOutbound()} is the half-close: CLOSE, then the TCP
 *       FIN. The peer's CLOSE fires {@link ChannelInputShutdownEvent} when the channel allows half-closure and
 *       closes the channel otherwise, as the peer's FIN does in Netty; a FIN without a CLOSE is
 *       {@code TRUNCATED}.</li>
 *   <li>Every failure reaches {@code exceptionCaught} as a {@link QspProtocolException} (the engine has queued a
 *       CLOSE with the reason, which is sent before the channel closes).</li>
 *   <li>Backpressure is Netty's: the ciphertext goes through the channel's outbound buffer, so
 *       {@code isWritable()} reflects it; inbound, the handler decrypts only what the transport read.</li>
 *   <li>Copies: outgoing frames are sealed by the AEAD straight into an array that is wrapped, not copied, as the
 *       outgoing {@code ByteBuf} (a heap {@code ByteBuf} is sealed from its own array; a direct one is staged
 *       through a 16 KiB array). Incoming heap buffers are opened in place; received plaintext is copied once, from
 *       the engine into the {@code ByteBuf} handed on.</li>
 * </ul>
 *
 * <p>Not sharable: one handler per channel. Methods other than the pipeline's must be called on the channel's
 * event loop, or they hop onto it.
 */
public final class QspHandler extends ChannelDuplexHandler {
    /** How long {@code close()} waits for the CLOSE frame to be written before closing anyway. */
    public static final long CLOSE_FLUSH_TIMEOUT_MILLIS = 3000;

    /**
     * Runs delegated tasks (key sources) when the caller gives no executor: daemon platform threads, created as
     * needed and kept 60 s, so a task never waits for a carrier thread that other virtual threads occupy.
     */
    private static final Executor DEFAULT_TASK_EXECUTOR = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "qsp-netty-task");
        t.setDaemon(true);
        return t;
    });

    private QspNioEngine nio;
    private QspEngine engine;
    /** Server handler from {@link #server(QspContext)}: the engine is admitted by this context's gate when added. */
    private final QspContext admitFrom;
    /** The admission gate refused this connection: it was closed at once, nothing else happens (SPEC.md §6.7). */
    private boolean refused;
    private final Executor taskExecutor;
    private final Promise<QspSession> handshake = ImmediateEventExecutor.INSTANCE.newPromise();

    private ChannelHandlerContext ctx;
    private PendingWriteQueue pending;
    private ScheduledFuture<?> timer;
    private byte[] stage;
    /**
     * While a burst of writes is sealed ({@link #flushPendingWrites}), the array of the last frames handed on,
     * back from Netty once it has released their buffer (for NIO as soon as it has copied them to a direct
     * buffer): the engine seals the next frames into it instead of a fresh frame-sized array per frame. Dropped
     * when the burst ends, and the burst's last frames leave the engine without a spare, so an idle connection
     * holds neither (SPEC.md §6.7). It only ever holds frames as they go on the wire.
     */
    private volatile byte[] returned;
    private volatile boolean recycling;
    private boolean started;
    private boolean failed;
    private boolean transportFailed;
    private boolean closing;
    private boolean inboundEndFired;
    private boolean firedRead;
    private boolean taskRunning;
    private boolean eofPending;
    private long rekeysSeen;
    private ChannelPromise halfClose;

    /**
     * A handler over {@code engine} (from {@link QspContext#createClientEngine} or {@code createServerEngine}),
     * running delegated tasks on the handler's shared daemon threads.
     *
     * @param engine the connection's engine, before its handshake; the handler drives it from now on
     */
    public QspHandler(QspNioEngine engine) {
        this(engine, DEFAULT_TASK_EXECUTOR);
    }

    /**
     * As {@link #QspHandler(QspNioEngine)}, running delegated tasks on {@code delegatedTaskExecutor}.
     *
     * @param engine                the connection's engine, before its handshake; the handler drives it from now on
     * @param delegatedTaskExecutor runs the engine's delegated tasks (key-source work that may block, SPEC.md
     *                              §4.15); never the event loop's own executor
     */
    public QspHandler(QspNioEngine engine, Executor delegatedTaskExecutor) {
        this.nio = Objects.requireNonNull(engine, "engine");
        this.engine = engine.engine();
        this.admitFrom = null;
        this.taskExecutor = Objects.requireNonNull(delegatedTaskExecutor, "delegatedTaskExecutor");
    }

    private QspHandler(QspContext serverContext, Executor delegatedTaskExecutor) {
        this.admitFrom = Objects.requireNonNull(serverContext, "context");
        if (serverContext.identity() == null) {
            throw new IllegalStateException("a server context needs an identity (QspContext.Builder.identity)");
        }
        this.taskExecutor = Objects.requireNonNull(delegatedTaskExecutor, "delegatedTaskExecutor");
    }

    /**
     * A client handler: the server must prove the context's expected identity, else {@code peerHost}.
     *
     * @param context  the client configuration (trust, suites, key sources)
     * @param peerHost the host name or address connected to (the identity expected when the context sets none)
     * @return a new handler, for one channel
     * @throws IllegalStateException if the context has no trust to verify the server with
     */
    public static QspHandler client(QspContext context, String peerHost) {
        return new QspHandler(context.createClientEngine(peerHost));
    }

    /**
     * A server handler for one accepted channel. When it is added to the channel's pipeline it asks the context's
     * {@link dev.qsp.sockets.AdmissionGate} for a place for the channel's remote address (SPEC.md §6.2, §6.7),
     * before any engine exists: over a cap the channel is closed at once with a reset, the refusal is counted, and
     * the handlers after this one see neither {@code channelActive} nor any data.
     *
     * @param context the server configuration (identity, trust, admission caps)
     * @return a new handler, for one channel
     * @throws IllegalStateException if the context has no identity
     */
    public static QspHandler server(QspContext context) {
        return new QspHandler(context, DEFAULT_TASK_EXECUTOR);
    }

    /**
     * As {@link #server(QspContext)}, running delegated tasks on {@code delegatedTaskExecutor}.
     *
     * @param context               the server configuration (identity, trust, admission caps)
     * @param delegatedTaskExecutor runs the engine's delegated tasks (key-source work that may block, SPEC.md
     *                              §4.15); never the event loop's own executor
     * @return a new handler, for one channel
     * @throws IllegalStateException if the context has no identity
     */
    public static QspHandler server(QspContext context, Executor delegatedTaskExecutor) {
        return new QspHandler(context, delegatedTaskExecutor);
    }

    /**
     * This server handler's connection was refused by the admission gate (and closed).
     *
     * @return true if the gate refused the channel when the handler was added, false otherwise
     */
    public boolean isRefused() { return refused; }

    /**
     * Completes with the session when the handshake completes, or with its failure.
     *
     * @return the handshake's future (the same one on every call)
     */
    public Future<QspSession> handshakeFuture() { return handshake; }

    /**
     * The session as of now (epoch, rekeys); null before the handshake completes. Event loop only.
     *
     * @return a snapshot of what the handshake negotiated and the rekeys so far, or null
     */
    public QspSession session() { return engine != null && engine.isHandshakeComplete() ? nio.session() : null; }

    /**
     * The engine (for its state: epoch, rekey count, failure). Event loop only. Null for a server handler before
     * it is added to a pipeline, or refused by the admission gate.
     *
     * @return the connection's engine, or null
     */
    public QspNioEngine engine() { return nio; }

    // ---- lifecycle ---------------------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (nio == null && !admit(ctx)) return;
        this.pending = new PendingWriteQueue(ctx);
        if (ctx.channel().isActive()) start();
    }

    /**
     * Admission before cost (SPEC.md §4.13, §6.2): the context's gate decides from the remote address alone,
     * before an engine, a buffer or a key exists. A channel without an IP address (a local or embedded channel)
     * counts as the loopback address.
     */
    private boolean admit(ChannelHandlerContext ctx) {
        InetAddress peer = ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress() : InetAddress.getLoopbackAddress();
        nio = admitFrom.admitServerEngine(peer);
        if (nio != null) {
            engine = nio.engine();
            return true;
        }
        refused = true;
        handshake.tryFailure(new ClosedChannelException()); // the connection ended before any handshake
        try {
            ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0); // a reset: no state kept for a flood
        } catch (RuntimeException ignored) {
            // a transport without SO_LINGER closes normally
        }
        ctx.close(); // from here outwards: this handler has nothing to send
        return false;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (refused) return;
        start();
        ctx.fireChannelActive();
    }

    private void start() {
        if (started) return;
        started = true;
        try {
            nio.beginHandshake();
        } catch (QspProtocolException e) {
            fail(e);
            return;
        }
        scheduleHandshakeTick();
        afterEngineWork(); // the client's key pair is a delegated task; its hello follows
        if (!autoRead()) ctx.read();
    }

    /**
     * One scheduled tick at the engine's earliest pending handshake deadline (a server's first-flight deadline,
     * then the handshake deadline, SPEC.md §4.13): the event loop enforces both, nothing waits.
     */
    private void scheduleHandshakeTick() {
        long delay = Math.max(0, engine.handshakeDeadlineNanos() - System.nanoTime());
        timer = ctx.executor().schedule(this::onTimer, delay, TimeUnit.NANOSECONDS);
    }

    /** The handshake deadlines, then (server) the rekey interval: time only ticks the engine (SPEC.md §6.2). */
    private void onTimer() {
        timer = null;
        if (failed || !ctx.channel().isActive()) return;
        try {
            nio.tick();
        } catch (QspProtocolException e) {
            fail(e);
            return;
        }
        if (!engine.isHandshakeComplete()) {
            scheduleHandshakeTick(); // e.g. the ClientHello came: the longer handshake deadline is next
        } else if (!nio.isClient() && handshake.isDone()) {
            // the rekey interval; a handshake completed by this tick gets its timer from afterEngineWork
            timer = ctx.executor().schedule(this::onTimer, nio.tickPeriodNanos(), TimeUnit.NANOSECONDS);
        }
        afterEngineWork();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (refused) return; // the handlers after this one never saw it active
        cancelTimer();
        if (!failed && !transportFailed && started && !engine.isInboundClosed()) {
            // the transport closed (the peer's FIN without half-closure, or a reset) before the peer's CLOSE
            try {
                nio.endOfStream();
            } catch (QspProtocolException e) {
                failed = true;
                handshake.tryFailure(e);
                ctx.fireExceptionCaught(e);
            }
        }
        ClosedChannelException closed = new ClosedChannelException();
        handshake.tryFailure(closed);
        pending.removeAndFailAll(closed);
        if (halfClose != null) halfClose.tryFailure(closed);
        nio.abort(); // erases the keys; authenticated data was delivered already
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelTimer();
        if (pending != null) pending.removeAndFailAll(new ClosedChannelException());
        if (nio != null) nio.abort(); // gives back the admission ticket if the handshake had not ended
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private boolean autoRead() { return ctx.channel().config().isAutoRead(); }

    // ---- inbound -----------------------------------------------------------------------------------------

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (failed || refused) return; // nothing after a failure is authenticated: drop it
            long now = System.nanoTime();
            if (buf.nioBufferCount() == 1) {
                engine.receive(buf.internalNioBuffer(buf.readerIndex(), buf.readableBytes()), now);
            } else {
                for (ByteBuffer b : buf.nioBuffers()) engine.receive(b, now);
            }
        } catch (QspProtocolException e) {
            deliverPlaintext(); // what was authenticated before the error still arrives (SPEC.md §4.11)
            fail(e);
            return;
        } finally {
            buf.release();
        }
        afterEngineWork();
    }

    /** After input, time or a task: hand on plaintext, report progress, send what the engine queued. */
    private void afterEngineWork() {
        if (failed) return;
        nio.settleAdmission(); // the handshake's end gives its place under the caps back (SPEC.md §6.2)
        runDelegatedTasks(); // data keeps flowing while a task runs (SPEC.md §4.15)
        deliverPlaintext();
        if (!handshake.isDone() && engine.isHandshakeComplete()) {
            cancelTimer();
            if (!nio.isClient()) {
                timer = ctx.executor().schedule(this::onTimer, nio.tickPeriodNanos(), TimeUnit.NANOSECONDS);
            }
            QspSession s = nio.session();
            rekeysSeen = engine.rekeyCount();
            handshake.trySuccess(s);
            ctx.fireUserEventTriggered(new QspHandshakeCompletionEvent(s, null));
        }
        if (engine.rekeyCount() != rekeysSeen) {
            rekeysSeen = engine.rekeyCount();
            ctx.fireUserEventTriggered(new QspRekeyEvent(Integer.toUnsignedLong(engine.epoch()), engine.lastRekeyKind(), rekeysSeen));
        }
        if (engine.isHandshakeComplete()) flushPendingWrites();
        writeEngineOutput(ctx.voidPromise());
        ctx.flush();
        if (engine.failure().isPresent()) {
            fail(engine.failure().get());
            return;
        }
        if (engine.isInboundClosed() && !inboundEndFired) {
            inboundEndFired = true;
            peerClosed();
        }
    }

    private void deliverPlaintext() {
        int n;
        while ((n = engine.available()) > 0) {
            // the allocator's kind (pooled direct by default): a transport writes it on without another copy
            ByteBuf out = ctx.alloc().buffer(n);
            try {
                int k = out.hasArray()
                        ? engine.readApplicationData(out.array(), out.arrayOffset() + out.writerIndex(), n)
                        : engine.readApplicationData(out.internalNioBuffer(out.writerIndex(), n));
                out.writerIndex(out.writerIndex() + k);
            } catch (QspProtocolException e) {
                out.release();
                return; // the failure is reported by the caller
            }
            firedRead = true;
            ctx.fireChannelRead(out);
        }
    }

    /** The peer's authenticated CLOSE: its half of the connection ended cleanly. */
    private void peerClosed() {
        Boolean halfClosure = ctx.channel().config().getOption(ChannelOption.ALLOW_HALF_CLOSURE);
        if (Boolean.TRUE.equals(halfClosure)) {
            ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        } else {
            ctx.channel().close(); // through this handler's close(): our CLOSE goes out first
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (refused) return;
        boolean fired = firedRead;
        firedRead = false;
        // like SslHandler: with autoRead off the protocol still needs input for the handshake, for a rekey that
        // a waiting write needs, and when a read produced no plaintext (a partial frame) for the application
        if (!autoRead() && !failed && (!engine.isHandshakeComplete() || !fired || blockedByHardLimit())) ctx.read();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (refused) return;
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            // the TCP FIN: clean only after the peer's CLOSE, which already went down the pipeline
            if (failed || engine.isInboundClosed()) return;
            if (taskRunning || engine.isAwaitingTask()) {
                eofPending = true; // the CLOSE may wait, unprocessed, behind the task (SPEC.md §4.15)
                return;
            }
            endOfStream();
            return;
        }
        if (evt == ChannelInputShutdownReadComplete.INSTANCE) return;
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (refused) return; // e.g. the reset of the connection it refused
        if (cause instanceof IOException && !(cause instanceof QspProtocolException)) {
            // the transport failed (e.g. a reset): the engine ends locally, sends nothing
            transportFailed = true;
            handshake.tryFailure(cause);
            nio.abort();
        }
        ctx.fireExceptionCaught(cause);
    }

    // ---- delegated tasks ---------------------------------------------------------------------------------

    /**
     * The one place where work the engine hands out (key sources: a KEM key pair, a KME call, SPEC.md §4.15) is
     * fetched and run off the event loop; when it is done the engine takes its result on the loop
     * ({@code tick}) and the handler carries on. At most one task is outstanding per engine.
     */
    private void runDelegatedTasks() {
        if (taskRunning) return;
        Runnable task = nio.delegatedTask();
        if (task == null) return;
        taskRunning = true;
        taskExecutor.execute(() -> {
            try {
                task.run(); // never throws: a key-source failure is reported by the engine
            } finally {
                ctx.executor().execute(this::taskDone);
            }
        });
    }

    private void taskDone() {
        taskRunning = false;
        if (failed || !ctx.channel().isOpen()) return; // the task's secrets were erased when it finished
        try {
            nio.tick();
        } catch (QspProtocolException e) {
            fail(e);
            return;
        }
        afterEngineWork();
        if (eofPending && !taskRunning && !engine.isAwaitingTask() && !failed) {
            eofPending = false;
            if (!engine.isInboundClosed()) endOfStream();
        }
    }

    private void endOfStream() {
        try {
            nio.endOfStream();
        } catch (QspProtocolException e) {
            fail(e);
        }
    }

    // ---- outbound ----------------------------------------------------------------------------------------

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf)) {
            ReferenceCountUtil.release(msg);
            promise.setFailure(new IllegalArgumentException("QspHandler writes ByteBufs, got " + msg.getClass().getName()));
            return;
        }
        if (refused) {
            ReferenceCountUtil.release(msg);
            promise.setFailure(new ClosedChannelException());
            return;
        }
        if (failed || closing || engine.isOutboundDone() || halfClose != null) {
            ReferenceCountUtil.release(msg);
            promise.setFailure(engine.failure().isPresent() ? engine.failure().get() : new ClosedChannelException());
            return;
        }
        pending.add(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (refused || !engine.isHandshakeComplete() || failed) return; // queued until the handshake completes
        flushPendingWrites();
        writeEngineOutput(ctx.voidPromise());
        ctx.flush();
    }

    private boolean blockedByHardLimit() {
        return !pending.isEmpty() && engine.isHandshakeComplete() && engine.recordsBeforeHardLimit() == 0;
    }

    /**
     * Seals queued writes frame by frame and passes each one's frames on with its promise. A write that would pass
     * the hard record limit stays queued until the rekey in flight completes (SPEC.md §4.13), unless none can
     * complete (the peer's CLOSE arrived): then the engine fails with LIMIT_REACHED, as the blocking shell does.
     */
    private void flushPendingWrites() {
        recycling = true;
        try {
            while (!pending.isEmpty() && !failed) {
                ByteBuf buf = (ByteBuf) pending.current();
                while (buf.isReadable()) {
                    if (engine.recordsBeforeHardLimit() == 0 && !engine.isInboundClosed()) {
                        nio.tick(); // a server's time trigger may start the rekey that frees the room
                        if (!autoRead()) ctx.read(); // the rekey's answer must be read
                        return;
                    }
                    sealFrame(buf, Math.min(buf.readableBytes(), Frames.MAX_PLAINTEXT));
                    if (buf.isReadable()) writeEngineOutput(ctx.voidPromise(), true);
                }
                ChannelPromise written = pending.remove();
                writeEngineOutput(written, !pending.isEmpty());
            }
        } catch (QspProtocolException e) {
            fail(e);
            return;
        } finally {
            recycling = false;
            returned = null;
        }
        if (pending.isEmpty() && halfClose != null && !engine.isOutboundDone() && !failed) sendCloseThenFin();
        if (!failed) runDelegatedTasks(); // a trigger may have started a fresh rekey while sealing
    }

    private void sealFrame(ByteBuf buf, int n) throws QspProtocolException {
        long now = System.nanoTime();
        if (buf.hasArray()) {
            engine.writeApplicationData(buf.array(), buf.arrayOffset() + buf.readerIndex(), n, now);
        } else {
            if (stage == null) stage = new byte[Frames.MAX_PLAINTEXT];
            buf.getBytes(buf.readerIndex(), stage, 0, n);
            engine.writeApplicationData(stage, 0, n, now);
        }
        buf.skipBytes(n);
    }

    /** Passes everything the engine queued on as one ByteBuf over the engine's own array (no copy). */
    private void writeEngineOutput(ChannelPromise promise) {
        writeEngineOutput(promise, false);
    }

    /** As {@link #writeEngineOutput(ChannelPromise)}; {@code more}: frames follow at once, so the engine gets the returned array. */
    private void writeEngineOutput(ChannelPromise promise, boolean more) {
        byte[] spare = more ? returned : null;
        if (more) returned = null;
        QspEngine.OutputChunk c = engine.takeOutputChunk(spare);
        if (c == null) {
            if (more) returned = spare; // nothing was pending: takeOutputChunk took no spare
            if (!promise.isVoid()) promise.trySuccess();
            return;
        }
        ctx.write(new FrameBuffer(this, c), promise);
    }

    /** Sealed frames over the engine's array; on release the array goes back to the handler for the next frames. */
    private static final class FrameBuffer extends UnpooledHeapByteBuf {
        private final QspHandler owner;

        FrameBuffer(QspHandler owner, QspEngine.OutputChunk c) {
            super(UnpooledByteBufAllocator.DEFAULT, c.array(), c.array().length);
            this.owner = owner;
            setIndex(c.offset(), c.offset() + c.length());
        }

        @Override
        protected void freeArray(byte[] array) {
            if (owner.recycling) owner.returned = array;
        }
    }

    /**
     * Asks for a rekey of {@code kind} (a client asks the server); false if one is already under way. Must be
     * called on the channel's event loop; what the engine queued is written and flushed before it returns (a
     * fresh rekey's key-source work runs as a delegated task, and its frames follow when it is done).
     *
     * @param kind the rekey to ask for: a ratchet or a fresh key exchange (SPEC.md §4.10)
     * @return true if the rekey was started or requested, false if one is already in flight or requested, or
     *         nothing more can be sent
     * @throws QspProtocolException starting the rekey failed (the engine has failed)
     * @throws IllegalStateException not called on the event loop, the admission gate refused the connection, or
     *                               the handshake has not completed
     */
    public boolean requestRekey(RekeyKind kind) throws QspProtocolException {
        if (!ctx.executor().inEventLoop()) throw new IllegalStateException("call requestRekey on the channel's event loop");
        if (nio == null) throw new IllegalStateException("no connection: the handler is not added, or its connection was refused");
        boolean r = nio.requestRekey(kind);
        runDelegatedTasks(); // a fresh rekey's key-source work
        writeEngineOutput(ctx.voidPromise());
        ctx.flush();
        return r;
    }

    /**
     * Half-close: once the queued writes are sealed, sends the authenticated CLOSE (CLOSE_NOTIFY) and then shuts
     * down the TCP output; the peer's data is still received. The future completes when the FIN is sent.
     *
     * @return completes when the TCP output is shut down; fails if the connection was refused, has failed (with
     *         the failure), is closing, or its handshake has not completed
     */
    public ChannelFuture closeOutbound() {
        ChannelPromise p = ctx.newPromise();
        ctx.executor().execute(() -> {
            if (refused) {
                p.setFailure(new ClosedChannelException());
                return;
            }
            if (failed || closing || halfClose != null || !engine.isHandshakeComplete()) {
                p.setFailure(engine.failure().isPresent() ? engine.failure().get()
                        : new IllegalStateException("closeOutbound needs a completed handshake and an open channel"));
                return;
            }
            halfClose = p;
            flushPendingWrites();
            ctx.flush();
        });
        return p;
    }

    private void sendCloseThenFin() {
        ChannelPromise p = halfClose;
        engine.closeOutbound();
        ChannelPromise written = ctx.newPromise();
        writeEngineOutput(written);
        ctx.flush();
        written.addListener(f -> {
            if (!f.isSuccess()) {
                p.tryFailure(f.cause());
            } else if (ctx.channel() instanceof DuplexChannel d) {
                d.shutdownOutput(p);
            } else {
                p.trySuccess();
            }
        });
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (closing || refused) {
            ctx.close(promise);
            return;
        }
        closing = true;
        cancelTimer();
        if (failed || !engine.isHandshakeComplete() || engine.isOutboundDone()) {
            engine.closeOutbound(); // before the handshake: an abort (SPEC.md §4.11)
            pending.removeAndFailAll(new ClosedChannelException());
            handshake.tryFailure(new ClosedChannelException());
            ChannelPromise written = ctx.newPromise();
            writeEngineOutput(written);
            ctx.flush();
            closeAfter(written, promise);
            return;
        }
        flushPendingWrites(); // what the application wrote goes before the CLOSE
        pending.removeAndFailAll(new ClosedChannelException()); // only writes held back by the hard limit
        engine.closeOutbound();
        ChannelPromise written = ctx.newPromise();
        writeEngineOutput(written);
        ctx.flush();
        closeAfter(written, promise);
    }

    private void closeAfter(ChannelPromise written, ChannelPromise promise) {
        if (written.isDone()) {
            ctx.close(promise);
            return;
        }
        ScheduledFuture<?> guard = ctx.executor().schedule(() -> {
            ctx.close(promise);
        }, CLOSE_FLUSH_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        written.addListener(f -> {
            guard.cancel(false);
            if (!promise.isDone()) ctx.close(promise);
        });
    }

    /**
     * The engine failed: send the CLOSE it queued with the reason, fail what waits, tell the pipeline with a
     * {@link QspProtocolException}, and close once the CLOSE is written.
     */
    private void fail(QspProtocolException e) {
        if (failed) return;
        failed = true;
        nio.settleAdmission();
        cancelTimer();
        pending.removeAndFailAll(e);
        if (halfClose != null) halfClose.tryFailure(e);
        handshake.tryFailure(e);
        if (!engine.isHandshakeComplete()) ctx.fireUserEventTriggered(new QspHandshakeCompletionEvent(null, e));
        ChannelPromise written = ctx.newPromise();
        writeEngineOutput(written);
        ctx.flush();
        ctx.fireExceptionCaught(e);
        closing = true;
        closeAfter(written, ctx.newPromise());
    }

    @Override
    public String toString() { return "QspHandler[" + nio + "]"; }
}
