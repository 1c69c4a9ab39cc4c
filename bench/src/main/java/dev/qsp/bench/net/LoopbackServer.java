package dev.qsp.bench.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The server end of the loopback benchmarks: accepts on 127.0.0.1, completes the stack's handshake on each
 * connection on its own platform thread, then serves one {@link Mode}. A failure other than the client
 * going away is kept and rethrown by {@link #close()}, so a broken stack cannot pass for a fast one.
 */
public final class LoopbackServer implements AutoCloseable {
    /** What the server does with a connection after the handshake. */
    public enum Mode {
        /** Reads until the client closes (the handshake benchmark closes right after its handshake). */
        DRAIN,
        /** Writes back every byte it reads. */
        ECHO,
        /** Reads and discards; after each {@code sinkBytes} bytes it writes one acknowledgement byte. */
        SINK
    }

    private final Transport transport;
    private final Mode mode;
    private final long sinkBytes;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean closing;

    /**
     * Listens and starts accepting on a daemon platform thread.
     *
     * @param transport the stack whose server end this is
     * @param mode      what to do with each connection after its handshake
     * @param sinkBytes for {@link Mode#SINK}: the bytes read per acknowledgement byte
     * @throws IOException if the stack cannot listen
     */
    public LoopbackServer(Transport transport, Mode mode, long sinkBytes) throws IOException {
        this.transport = transport;
        this.mode = mode;
        this.sinkBytes = sinkBytes;
        this.listener = transport.listen();
        this.acceptor = Thread.ofPlatform().name("bench-accept").daemon().start(this::acceptLoop);
    }

    /** {@return the port the server listens on, on 127.0.0.1} */
    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!closing) {
            try {
                Socket s = listener.accept();
                Thread.ofPlatform().name("bench-conn").daemon().start(() -> serve(s));
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
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[64 * 1024];
            long received = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                switch (mode) {
                    case DRAIN -> { }
                    case ECHO -> {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                    case SINK -> {
                        received += n;
                        if (received > sinkBytes) {
                            throw new IOException("client sent more than " + sinkBytes + " bytes before the ack");
                        }
                        if (received == sinkBytes) {
                            received = 0;
                            out.write(1);
                            out.flush();
                        }
                    }
                }
            }
        } catch (SocketException e) {
            // The client went away (reset after its handshake, or the trial ended): expected.
        } catch (IOException | RuntimeException e) {
            if (!closing && !(mode == Mode.DRAIN && isPeerGone(e))) {
                failure.compareAndSet(null, e);
            }
        }
    }

    /** A TLS stack may wrap the reset of a closed client in its own exception type. */
    private static boolean isPeerGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketException || t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    /** Stops accepting and rethrows the first failure the server saw. */
    @Override
    public void close() throws IOException {
        closing = true;
        listener.close();
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new IOException("the " + transport + " server failed: " + t, t);
        }
    }
}
