package dev.qsp.sockets.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The engine's frame and plaintext buffers and their lifetime (SPEC.md §4.15): allocated on first use, grown with
 * the traffic; once the handshake has completed and its last flight has left, the handshake's arrays are dropped,
 * and {@link #trim} drops empty ones above 4 KiB for a caller about to wait, so an idle connection holds no
 * frame-sized arrays. Also the ways pending output leaves the engine (copied, or handed over without a copy).
 */
final class EngineBuffers {
    /** What an idle connection may keep per buffer. */
    private static final int IDLE_KEEP = 4096;

    private final ByteQueue out;
    private final ByteQueue app;
    private final InboundFrames inbound;
    private final HandshakeDriver handshake;
    /** Says whether the handshake has completed (the buffers' lifetime depends on it). */
    private final FrameDispatch dispatch;
    /** The handshake completed and its buffers have not been dropped yet (see {@link #releaseHandshakeBuffers}). */
    private boolean handshakeBuffersHeld = true;

    EngineBuffers(ByteQueue out, ByteQueue app, InboundFrames inbound, HandshakeDriver handshake, FrameDispatch dispatch) {
        this.out = out;
        this.app = app;
        this.inbound = inbound;
        this.handshake = handshake;
        this.dispatch = dispatch;
    }

    int drain(byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        int n = out.read(dst, off, len);
        releaseHandshakeBuffers();
        return n;
    }

    int drain(ByteBuffer dst) {
        int n = out.read(dst);
        releaseHandshakeBuffers();
        return n;
    }

    /** See {@link QspEngine#takeOutputChunk}: the array the frames were sealed into leaves, {@code spare} comes in. */
    QspEngine.OutputChunk takeChunk(byte[] spare) {
        int n = out.size();
        if (n == 0) return null;
        int start = out.start();
        byte[] a = out.handOver(spare);
        releaseHandshakeBuffers();
        return new QspEngine.OutputChunk(a, start, n);
    }

    /** Writes all pending bytes to {@code sink} from the buffer itself; if the sink throws, they count as written. */
    int drain(OutputSink sink) throws IOException {
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
    void releaseHandshakeBuffers() {
        if (!dispatch.handshakeComplete() || !handshakeBuffersHeld || out.size() > 0) return;
        handshakeBuffersHeld = false;
        handshake.releaseBuffers();
        inbound.release();
        out.release();
    }

    /** See {@link QspEngine#trimBuffers}; nothing before the handshake's buffers have gone. */
    void trim() {
        if (!dispatch.handshakeComplete() || handshakeBuffersHeld) return;
        app.releaseIfLarger(IDLE_KEEP);
        inbound.trim(IDLE_KEEP);
        out.releaseIfLarger(IDLE_KEEP);
    }

    /** Bytes of buffer arrays held (frames in and out, handshake, plaintext): a test hook. */
    int capacity() { return handshake.bufferedCapacity() + inbound.capacity() + out.capacity() + app.capacity(); }
}
