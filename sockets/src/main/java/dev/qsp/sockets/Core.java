package dev.qsp.sockets;

import dev.qsp.sockets.engine.QspEngine;
import java.io.IOException;

/**
 * The sans-I/O protocol engine as the socket shell drives it (SPEC.md §6.1). Not thread-safe: {@link QspSocket}
 * calls it only while holding its engine lock, and never blocks on I/O while doing so. Implemented over the
 * {@code dev.qsp.sockets.engine} package by {@link EngineCore}.
 */
interface Core {
    /** Starts the handshake: a client queues its first flight; both arm the handshake deadline. */
    void start(long nowNanos) throws IOException;

    /** Processes bytes received from the wire (any split; a partial frame is kept for the next call). */
    void receive(byte[] b, int off, int len, long nowNanos) throws IOException;

    /** The wire reached end of stream: a truncation error unless the peer's authenticated CLOSE came first. */
    void receiveEnd() throws IOException;

    /** Checks the time triggers: the handshake deadline and the rekey interval. */
    void tick(long nowNanos) throws IOException;

    /** Copies up to {@code len} authenticated application bytes out; 0 when none are buffered. */
    int read(byte[] b, int off, int len) throws IOException;

    /** Authenticated application bytes buffered and not yet read. */
    int available();

    /**
     * Seals up to {@code len} application bytes into frames queued for output and returns how many it took;
     * 0 means sending must wait for the peer (a rekey has to complete first).
     */
    int send(byte[] b, int off, int len, long nowNanos) throws IOException;

    /**
     * The key-source task the engine waits for, handed out once (SPEC.md §4.15); null if none. Run it off the
     * engine lock; a later {@link #tick} consumes its result.
     */
    dev.qsp.sockets.engine.KeySourceTask delegatedTask();

    /** A key-source task is outstanding whose result the engine has not consumed yet. */
    boolean isAwaitingTask();

    /** Received bytes wait, unprocessed, for the outstanding task: a reader waits for the task, not the wire. */
    boolean isInboundPaused();

    /** Bytes queued for the wire. */
    int pendingOutput();

    /**
     * Hands all queued bytes over without copying (the engine goes on with {@code spare}); null when none are
     * queued. See {@link dev.qsp.sockets.engine.QspEngine#takeOutputChunk}.
     */
    QspEngine.OutputChunk takeOutput(byte[] spare);

    /** Queues the authenticated CLOSE (this direction ends; SPEC.md §4.11). Idempotent. */
    void closeOutbound() throws IOException;

    /** Asks for a rekey now (a server starts one, a client sends a request); false if one is in flight. */
    boolean requestRekey(boolean fresh, long nowNanos) throws IOException;

    boolean isHandshakeComplete();

    /**
     * The peer's authenticated CLOSE has been processed: reads end with -1. A failed engine, whose inbound side
     * is closed too, throws its failure instead: a failure is never reported as a clean end (SPEC.md §6.3).
     */
    boolean isInboundClosed() throws IOException;

    boolean isOutboundClosed();

    /** The current state for {@link QspSocket#getSession()}; only after the handshake. */
    QspSession session();

    /** Completed rekeys so far. */
    long rekeyCount();

    /**
     * The connection failed: erases all key material and closes both directions without sending anything;
     * application data authenticated before the failure stays readable through {@link #read}. Idempotent.
     */
    void abort();

    /** Erases all key material and unread plaintext; the core is unusable afterwards. Idempotent. */
    void destroy();
}
