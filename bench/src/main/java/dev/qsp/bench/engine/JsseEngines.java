package dev.qsp.bench.engine;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

import dev.qsp.bench.net.BcJsseTransport;
import dev.qsp.bench.net.KeyTool;
import dev.qsp.bench.net.TlsContexts;

/**
 * A JSSE stack's {@link SSLEngine}s wired in memory: SunJSSE (TLS 1.3, TLS_AES_256_GCM_SHA384, x25519, ECDSA
 * P-256) or BCJSSE 1.84 (TLS 1.3, TLS_AES_256_GCM_SHA384, X25519MLKEM768, ML-DSA-65), with the same contexts and
 * restrictions as the loopback suite's rows ({@link TlsContexts}). Delegated tasks run inline on the calling
 * thread and count for the side that produced them. No session is resumed: each client engine names a new peer
 * and the client cache holds one entry. A TLS 1.3 server sends a NewSessionTicket after its Finished; the handshake
 * counts until the client has consumed it, since a real server pays for it on every connection.
 */
final class JsseEngines implements EngineStack {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final KeyTool keyTool;
    private final SSLContext context;
    private final Consumer<SSLEngine> restrict;
    private long peers;

    private JsseEngines(KeyTool keyTool, SSLContext context, Consumer<SSLEngine> restrict) {
        this.keyTool = keyTool;
        this.context = context;
        this.restrict = restrict;
        context.getClientSessionContext().setSessionCacheSize(1);
    }

    static JsseEngines sunJsse() throws Exception {
        KeyTool keyTool = new KeyTool();
        return new JsseEngines(keyTool, TlsContexts.sunJsse(keyTool), TlsContexts::restrictSunJsse);
    }

    static JsseEngines bcJsse() throws Exception {
        KeyTool keyTool = new KeyTool();
        return new JsseEngines(keyTool, BcJsseTransport.context(keyTool), BcJsseTransport::restrictEngine);
    }

    @Override
    public EngineStack.Session handshake(SideCosts costs) throws Exception {
        long t = SideCosts.cpu();
        SSLEngine client = context.createSSLEngine("peer-" + (peers++) + ".bench.invalid", 443);
        client.setUseClientMode(true);
        restrict.accept(client);
        Buffers cb = new Buffers(client);
        client.beginHandshake();
        long u = SideCosts.cpu();
        costs.clientNanos += u - t;
        SSLEngine server = context.createSSLEngine();
        server.setUseClientMode(false);
        restrict.accept(server);
        Buffers sb = new Buffers(server);
        server.beginHandshake();
        costs.serverNanos += SideCosts.cpu() - u;
        ByteBuffer c2s = ByteBuffer.allocate(cb.packet * 4);
        ByteBuffer s2c = ByteBuffer.allocate(sb.packet * 4);
        for (int rounds = 0; ; rounds++) {
            if (rounds > 100) {
                throw new SSLException("the in-memory TLS handshake did not finish in 100 rounds");
            }
            t = SideCosts.cpu();
            boolean progress = step(client, s2c, c2s, cb.app);
            u = SideCosts.cpu();
            progress |= step(server, c2s, s2c, sb.app);
            costs.clientNanos += u - t;
            costs.serverNanos += SideCosts.cpu() - u;
            if (done(client) && done(server) && c2s.position() == 0 && s2c.position() == 0) {
                break;
            }
            if (!progress) {
                throw new SSLException("the in-memory TLS handshake stalled: client " + client.getHandshakeStatus()
                        + ", server " + server.getHandshakeStatus());
            }
        }
        return new Pair(client, server);
    }

    private static boolean done(SSLEngine e) {
        return e.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
    }

    /**
     * Advances one engine as far as it can go with the bytes in {@code in}: runs tasks, wraps what it must send into
     * {@code out}, unwraps what it received (post-handshake messages included). Returns whether it did anything.
     */
    private static boolean step(SSLEngine e, ByteBuffer in, ByteBuffer out, ByteBuffer app) throws SSLException {
        boolean progress = false;
        while (true) {
            HandshakeStatus hs = e.getHandshakeStatus();
            switch (hs) {
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = e.getDelegatedTask()) != null) {
                        task.run();
                    }
                    progress = true;
                }
                case NEED_WRAP -> {
                    SSLEngineResult r = e.wrap(EMPTY, out);
                    if (r.getStatus() != SSLEngineResult.Status.OK) {
                        throw new SSLException("wrap: " + r);
                    }
                    progress = true;
                }
                default -> { // NEED_UNWRAP, NEED_UNWRAP_AGAIN, NOT_HANDSHAKING, FINISHED
                    if (in.position() == 0 && hs != HandshakeStatus.NEED_UNWRAP_AGAIN) {
                        return progress;
                    }
                    in.flip();
                    SSLEngineResult r = e.unwrap(in, app);
                    in.compact();
                    app.clear();
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                            || (r.bytesConsumed() == 0 && r.getHandshakeStatus() == hs)) {
                        return progress;
                    }
                    if (r.getStatus() != SSLEngineResult.Status.OK) {
                        throw new SSLException("unwrap: " + r);
                    }
                    progress = true;
                }
            }
        }
    }

    private static final class Buffers {
        final int packet;
        final ByteBuffer app;

        Buffers(SSLEngine e) {
            packet = e.getSession().getPacketBufferSize();
            app = ByteBuffer.allocate(Math.max(e.getSession().getApplicationBufferSize(), 1 << 15));
        }
    }

    /**
     * The bulk benchmark's buffers, one per stack (sized by the first session that transfers): a pair holds only
     * its two engines, so that the memory per established pair ({@code EngineMemory}) counts no buffer of the
     * benchmark's own.
     */
    private ByteBuffer wire;
    private ByteBuffer plain;

    private final class Pair implements EngineStack.Session {
        private final SSLEngine client;
        private final SSLEngine server;

        Pair(SSLEngine client, SSLEngine server) {
            this.client = client;
            this.server = server;
        }

        @Override
        public int transfer(byte[] data, int len) throws Exception {
            // SunJSSE puts at most 16,367 plaintext bytes into a TLS 1.3 record, so a 16 KiB write is two records
            // there: what a 16 KiB write costs that stack.
            if (wire == null) {
                wire = ByteBuffer.allocate(client.getSession().getPacketBufferSize() * 4);
                plain = ByteBuffer.allocate(Math.max(server.getSession().getApplicationBufferSize(), 1 << 15));
            }
            ByteBuffer src = ByteBuffer.wrap(data, 0, len);
            int read = 0;
            while (src.hasRemaining()) {
                wire.clear();
                SSLEngineResult w = client.wrap(src, wire);
                if (w.getStatus() != SSLEngineResult.Status.OK || w.bytesConsumed() == 0) {
                    throw new SSLException("wrap of " + len + " bytes: " + w);
                }
                wire.flip();
                plain.clear();
                while (wire.hasRemaining()) {
                    SSLEngineResult r = server.unwrap(wire, plain);
                    if (r.getStatus() != SSLEngineResult.Status.OK) {
                        throw new SSLException("unwrap: " + r);
                    }
                    read += r.bytesProduced();
                }
            }
            if (read != len) {
                throw new IllegalStateException("read " + read + " of " + len + " bytes");
            }
            return read;
        }
    }

    @Override
    public void close() throws Exception {
        keyTool.close();
    }
}
