package dev.qsp.sockets;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The README's Selector example (SPEC.md §4.15): a single-threaded QSP echo server on a {@link Selector}. Each
 * connection is a {@link QspNioEngine} and three buffers; the loop reads only while the echo buffer has room and
 * the engine holds no unread plaintext, so a client that does not read its echoes stalls only itself.
 * NioEchoTest runs exactly this code.
 */
public final class NioEchoServer implements Runnable, AutoCloseable {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final QspContext context;
    private final Selector selector = Selector.open();
    private final ServerSocketChannel server = ServerSocketChannel.open();

    /** One connection: its engine, bytes from the wire, frames for the wire, plaintext to echo. */
    private record Conn(SocketChannel ch, QspNioEngine engine, ByteBuffer netIn, ByteBuffer netOut, ByteBuffer app) {}

    public NioEchoServer(QspContext context, InetSocketAddress address) throws IOException {
        this.context = context;
        server.bind(address).configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    public int port() { return server.socket().getLocalPort(); }

    private volatile boolean stopping;

    @Override
    public void run() {
        try (selector; server) {
            while (!stopping) {
                selector.select(handshakeDeadlines()); // wakes for the earliest handshake deadline too
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isAcceptable()) accept();
                    else serve(key);
                }
                selector.selectedKeys().clear();
            }
            for (SelectionKey k : selector.keys()) k.channel().close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void accept() throws IOException {
        SocketChannel ch = server.accept();
        if (ch == null) return;
        // admission before cost (SPEC.md §6.2): over the context's caps the connection is reset at once
        QspNioEngine engine = context.admitServerEngine(((InetSocketAddress) ch.getRemoteAddress()).getAddress());
        if (engine == null) {
            ch.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
            ch.close();
            return;
        }
        ch.configureBlocking(false);
        Conn c = new Conn(ch, engine, ByteBuffer.allocate(32 * 1024),
                ByteBuffer.allocate(32 * 1024), ByteBuffer.allocate(64 * 1024));
        c.engine().beginHandshake(); // starts the handshake deadline; the client speaks first
        ch.register(selector, SelectionKey.OP_READ, c);
    }

    /**
     * Ticks every handshake whose deadline has passed (a silent client's hello deadline, SPEC.md §4.13: the tick
     * fails it and queues the CLOSE) and returns how long select may wait for the next one (0: no deadline).
     */
    private long handshakeDeadlines() {
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (SelectionKey key : selector.keys()) {
            if (!(key.attachment() instanceof Conn c) || c.engine().isHandshakeComplete() || !key.isValid()) continue;
            long d = c.engine().engine().handshakeDeadlineNanos();
            if (now - d >= 0) {
                try {
                    c.engine().tick();
                } catch (IOException e) {
                    fail(c);
                }
            } else {
                next = Math.min(next, d - now);
            }
        }
        return next == Long.MAX_VALUE ? 0 : Math.max(1, next / 1_000_000 + 1);
    }

    private static void fail(Conn c) {
        // a QspProtocolException queued a CLOSE with the reason: send it if the socket takes it, then close
        try {
            flush(c);
        } catch (IOException ignored) {
            // the connection is gone either way
        }
        c.engine().abort(); // erases the keys and gives back the admission ticket of an unfinished handshake
        try {
            c.ch().close();
        } catch (IOException ignored) {
            // closed either way
        }
    }

    private void serve(SelectionKey key) {
        Conn c = (Conn) key.attachment();
        try {
            boolean eof = false;
            // read only when the engine holds no plaintext we could not take yet (bounded memory)
            if (key.isReadable() && c.engine().available() == 0 && c.app().hasRemaining()) {
                eof = c.ch().read(c.netIn()) < 0;
            }
            c.netIn().flip();
            QspNioEngine.Result r = c.engine().unwrap(c.netIn(), c.app()); // takes all of netIn
            c.netIn().clear();
            runTasks(c, r);
            if (eof) c.engine().endOfStream(); // TRUNCATED unless the client's CLOSE came first
            if (c.engine().isInboundDone() && !c.engine().isOutboundDone() && c.app().position() == 0) {
                c.engine().closeOutbound(); // echo everything, then close as the client did
            }
            c.app().flip();
            c.engine().wrap(c.app(), c.netOut()); // seals the echo (nothing before the handshake completes)
            c.app().compact();
            boolean flushed = flush(c);
            if (flushed && c.engine().isOutboundDone() && c.engine().pendingOutput() == 0) {
                c.ch().close(); // the CLOSE is on the wire
                return;
            }
            int ops = (c.app().hasRemaining() ? SelectionKey.OP_READ : 0) | (flushed ? 0 : SelectionKey.OP_WRITE);
            if (c.engine().available() > 0 && c.app().hasRemaining()) ops |= SelectionKey.OP_WRITE; // come back soon
            key.interestOps(ops);
        } catch (IOException e) {
            fail(c);
        }
    }

    /** Moves the engine's frames to the socket; false if the socket is full (wait for OP_WRITE). */
    private static boolean flush(Conn c) throws IOException {
        while (true) {
            c.engine().wrap(EMPTY, c.netOut());
            c.netOut().flip();
            c.ch().write(c.netOut());
            boolean left = c.netOut().hasRemaining();
            c.netOut().compact();
            if (left) return false;
            if (c.engine().pendingOutput() == 0) return true;
        }
    }

    /**
     * Key-source work the engine hands out (SPEC.md §4.15). A server with slow key sources (a KME) runs it on
     * another thread and wakes the selector; this example runs it in place, then lets the engine take its result.
     */
    private static void runTasks(Conn c, QspNioEngine.Result r) throws IOException {
        while (r.needsTask()) {
            Runnable t = c.engine().delegatedTask();
            if (t != null) t.run();
            r = c.engine().tick();
        }
    }

    @Override
    public void close() {
        stopping = true; // the loop closes every channel and the selector on its way out
        selector.wakeup();
    }
}
