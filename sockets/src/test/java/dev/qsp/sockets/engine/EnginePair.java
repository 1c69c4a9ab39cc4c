package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspProtocolException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-memory client/server pair: shuttles bytes between two engines, records what each delivered to its
 * application and which error each reported. An optional {@link Interceptor} sees every frame and decides what
 * is delivered instead (drop, duplicate, reorder, modify, inject).
 */
final class EnginePair {
    /** Rewrites the frames of one direction; {@code index} counts frames in that direction from 0. */
    interface Interceptor {
        List<byte[]> onFrame(boolean fromClient, int index, byte[] frame);
    }

    final QspEngine client;
    final QspEngine server;
    long now;
    Interceptor interceptor;
    boolean recordReceived = true;
    final ByteArrayOutputStream clientReceived = new ByteArrayOutputStream();
    final ByteArrayOutputStream serverReceived = new ByteArrayOutputStream();
    QspProtocolException clientError;
    QspProtocolException serverError;
    private final byte[] buf = new byte[1 << 18];
    private final byte[] readBuf = new byte[1 << 16];
    private int c2sIndex;
    private int s2cIndex;
    private final ByteArrayOutputStream c2sPartial = new ByteArrayOutputStream();
    private final ByteArrayOutputStream s2cPartial = new ByteArrayOutputStream();

    EnginePair(QspEngineConfig clientConfig, QspEngineConfig serverConfig, String seed) {
        client = QspEngine.client(clientConfig, new SeededRandom("client:" + seed));
        server = QspEngine.server(serverConfig, new SeededRandom("server:" + seed));
    }

    /** Starts both sides and pumps until quiet. */
    EnginePair handshake() {
        try {
            server.start(now);
        } catch (QspProtocolException e) {
            serverError = e;
        }
        try {
            client.start(now);
        } catch (QspProtocolException e) {
            clientError = e;
        }
        pump();
        return this;
    }

    /** Moves bytes both ways until neither side has output. */
    void pump() {
        boolean progress = true;
        while (progress) {
            progress = move(client, server, true);
            progress |= move(server, client, false);
        }
    }

    private boolean move(QspEngine from, QspEngine to, boolean fromClient) {
        if (from.pendingOutput() == 0) return false;
        if (interceptor == null) {
            while (from.pendingOutput() > 0) {
                int n = from.drainOutput(buf, 0, buf.length);
                deliver(to, fromClient, buf, 0, n);
            }
            return true;
        }
        ByteArrayOutputStream partial = fromClient ? c2sPartial : s2cPartial;
        while (from.pendingOutput() > 0) {
            int n = from.drainOutput(buf, 0, buf.length);
            partial.write(buf, 0, n);
        }
        byte[] all = partial.toByteArray();
        partial.reset();
        int p = 0;
        while (all.length - p >= Frames.HEADER_LENGTH) {
            int len = Frames.HEADER_LENGTH + Frames.length(all, p);
            if (all.length - p < len) break;
            byte[] frame = java.util.Arrays.copyOfRange(all, p, p + len);
            p += len;
            int index = fromClient ? c2sIndex++ : s2cIndex++;
            for (byte[] f : interceptor.onFrame(fromClient, index, frame)) deliver(to, fromClient, f, 0, f.length);
        }
        partial.write(all, p, all.length - p);
        return true;
    }

    void deliver(QspEngine to, boolean fromClient, byte[] b, int off, int len) {
        if (errorOf(to) != null) return;
        try {
            to.receive(b, off, len, now);
        } catch (QspProtocolException e) {
            setError(to, e);
        }
        drainApp(to);
    }

    void drainApp(QspEngine e) {
        ByteArrayOutputStream sink = e == client ? clientReceived : serverReceived;
        try {
            int n;
            while ((n = e.readApplicationData(readBuf, 0, readBuf.length)) > 0) {
                if (appSink != null) appSink.accept(e == client, readBuf, 0, n);
                else if (recordReceived) sink.write(readBuf, 0, n);
            }
        } catch (QspProtocolException ex) {
            if (errorOf(e) == null) setError(e, ex);
        }
    }

    /** Sends end-of-stream to {@code to}. */
    void endOfStream(QspEngine to) {
        try {
            to.receiveEndOfStream();
        } catch (QspProtocolException e) {
            setError(to, e);
        }
    }

    QspProtocolException errorOf(QspEngine e) { return e == client ? clientError : serverError; }

    private void setError(QspEngine e, QspProtocolException ex) {
        if (e == client) clientError = ex;
        else serverError = ex;
    }

    /** Receives delivered application data instead of the recording buffers, e.g. to verify it on the fly. */
    interface AppSink {
        void accept(boolean atClient, byte[] b, int off, int len);
    }

    AppSink appSink;

    /** Splits a byte stream of whole frames into frames. */
    static List<byte[]> frames(byte[] stream) {
        List<byte[]> out = new ArrayList<>();
        int p = 0;
        while (p < stream.length) {
            int len = Frames.HEADER_LENGTH + Frames.length(stream, p);
            out.add(java.util.Arrays.copyOfRange(stream, p, p + len));
            p += len;
        }
        return out;
    }

    /** Drains all pending output of {@code e}. */
    static byte[] drainAll(QspEngine e) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] tmp = new byte[1 << 16];
        int n;
        while ((n = e.drainOutput(tmp, 0, tmp.length)) > 0) b.write(tmp, 0, n);
        return b.toByteArray();
    }

    /**
     * Flips bit {@code bit} of byte {@code bodyOffset} of the body of the first handshake message of type
     * {@code type} in a stream of unprotected HANDSHAKE frames (which may split messages across frames).
     */
    static byte[] tamperHandshake(byte[] stream, int type, int bodyOffset, int bit) {
        byte[] s = stream.clone();
        // Map the concatenated payload offsets to stream offsets.
        List<Integer> map = new ArrayList<>();
        int p = 0;
        while (p < s.length) {
            int len = Frames.length(s, p);
            for (int i = 0; i < len; i++) map.add(p + Frames.HEADER_LENGTH + i);
            p += Frames.HEADER_LENGTH + len;
        }
        int q = 0;
        while (q + 4 <= map.size()) {
            int t = s[map.get(q)] & 0xFF;
            int len = ((s[map.get(q + 1)] & 0xFF) << 16) | ((s[map.get(q + 2)] & 0xFF) << 8) | (s[map.get(q + 3)] & 0xFF);
            if (t == type) {
                int at = map.get(q + 4 + bodyOffset);
                s[at] ^= (byte) (1 << bit);
                return s;
            }
            q += 4 + len;
        }
        throw new AssertionError("no handshake message of type " + type);
    }

    /** Passes every frame through unchanged. */
    static List<byte[]> pass(byte[] frame) {
        List<byte[]> l = new ArrayList<>();
        l.add(frame);
        return l;
    }
}
