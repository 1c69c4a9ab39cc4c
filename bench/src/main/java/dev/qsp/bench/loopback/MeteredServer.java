package dev.qsp.bench.loopback;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.qsp.bench.net.Transport;

/**
 * The server end of the round-robin harness, one per stack for the whole run, on 127.0.0.1: each accepted
 * connection is served on a pooled platform thread (threads are reused, so thread creation is not measured); it
 * completes the stack's handshake, counts it, writes one byte of application data ({@link #READY}: the client
 * reads it, so a handshake row ends when both ends have finished), then echoes every byte it reads until the
 * client goes away. A failure other than the client going away is kept and rethrown by {@link #close()}, so a
 * broken stack cannot pass for a fast one.
 */
final class MeteredServer implements AutoCloseable {
    static final int READY = 0x5A;

    private final Transport transport;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "loopback-conn");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong handshakes = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean closing;

    MeteredServer(Transport transport) throws IOException {
        this.transport = transport;
        this.listener = transport.listen();
        this.acceptor = Thread.ofPlatform().name("loopback-accept").daemon().start(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Handshakes this server has completed so far. */
    long handshakes() {
        return handshakes.get();
    }

    private void acceptLoop() {
        while (!closing) {
            try {
                Socket s = listener.accept();
                pool.execute(() -> serve(s));
            } catch (IOException e) {
                if (!closing) {
                    failure.compareAndSet(null, e);
                }
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            transport.handshake(s);
            handshakes.incrementAndGet();
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            out.write(READY);
            out.flush();
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            if (!closing && !isPeerGone(e)) {
                failure.compareAndSet(null, e);
            }
        }
    }

    /** The handshake clients reset their connection after the first byte; a stack may wrap that reset. */
    private static boolean isPeerGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketException || t instanceof EOFException) {
                return true;
            }
        }
        return false;
    }

    /** A failure seen so far, thrown at once so a run does not go on measuring a broken stack. */
    void check() throws IOException {
        Throwable t = failure.get();
        if (t != null) {
            throw new IOException("the " + transport + " server failed: " + t, t);
        }
    }

    @Override
    public void close() throws IOException {
        closing = true;
        listener.close();
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
        check();
    }
}
