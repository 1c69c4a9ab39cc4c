package dev.qsp.sockets;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A server on 127.0.0.1 with an ephemeral port whose connections are handled in virtual threads, and the
 * helpers the socket tests share. Results come back through futures; {@link #TIMEOUT_SECONDS} only bounds a
 * broken test, it never paces one.
 */
final class Loopback implements AutoCloseable {
    static final long TIMEOUT_SECONDS = 60;

    @FunctionalInterface
    interface Handler<T> {
        T handle(Socket s) throws Exception;
    }

    final ServerSocket server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    private Loopback(ServerSocket server) {
        this.server = server;
    }

    /** A QSP server socket from {@code context}. */
    static Loopback qsp(QspContext context) throws IOException {
        return new Loopback(context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    /** A plain TCP server socket (to play a peer that does not speak QSP, or to wrap accepted sockets by hand). */
    static Loopback plain() throws IOException {
        return new Loopback(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
    }

    int port() { return server.getLocalPort(); }

    /** Accepts one connection and runs {@code h} on it in a virtual thread; the socket is closed afterwards. */
    <T> Future<T> acceptOne(Handler<T> h) {
        return threads.submit(() -> {
            try (Socket s = server.accept()) {
                return h.handle(s);
            }
        });
    }

    /** Runs {@code task} in a virtual thread. */
    <T> Future<T> run(java.util.concurrent.Callable<T> task) {
        return threads.submit(task);
    }

    static <T> T await(Future<T> f) throws Exception {
        try {
            return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception x) throw x;
            throw e;
        }
    }

    /** A client QSP socket connected to this server. */
    QspSocket connect(QspContext client) throws IOException {
        return (QspSocket) client.getSocketFactory().createSocket("127.0.0.1", port());
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }

    /** Echoes until the peer's CLOSE; returns the byte count. */
    static long echo(Socket s) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = s.getInputStream().read(buf)) >= 0) {
            s.getOutputStream().write(buf, 0, n);
            total += n;
        }
        return total;
    }
}
