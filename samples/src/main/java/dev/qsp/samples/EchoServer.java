package dev.qsp.samples;

import dev.qsp.sockets.QspServerSocketFactory;
import dev.qsp.sockets.QspSession;
import dev.qsp.sockets.QspSocket;
import dev.qsp.sockets.engine.KeySourceInfo;
import dev.qsp.sockets.engine.RekeyKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.net.ServerSocketFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * An echo server written as an ordinary socket program: the only QSP-specific line is where the
 * {@link ServerSocketFactory} comes from ({@link QspServerSocketFactory#getDefault()}, configured by the
 * {@code dev.qsp.*} system properties). It serves many clients at once, one virtual thread each, at most
 * {@code --max-clients} at a time; a client that fails gets one log line and the server keeps serving the others,
 * and an {@code accept()} that fails (e.g. "Too many open files") gets one log line and a short back-off, never
 * the end of the server (issue 9 item 5).
 *
 * <p>Usage: {@code EchoServer [--host 127.0.0.1] [--port 9000] [--clients N] [--max-clients 256]}
 * ({@code --clients} stops after N clients, for the demo). Without {@code dev.qsp.keyStore} it uses the
 * development identity.
 */
@Command(name = "EchoServer", sortOptions = false,
        description = "An echo server over QSP (configured by the dev.qsp.* system properties; without "
                + "dev.qsp.keyStore it uses the development identity).")
public final class EchoServer implements Callable<Integer> {
    /** Default bound on concurrently served clients. */
    public static final int DEFAULT_MAX_CLIENTS = 256;
    /** The first pause after a failed {@code accept()}; it doubles on each further failure, up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    /** Waits between {@code accept()} retries; tests inject one that records instead of sleeping. */
    @FunctionalInterface
    public interface BackOff {
        /**
         * Waits {@code d}.
         *
         * @param d how long
         * @throws InterruptedException if interrupted while waiting
         */
        void pause(Duration d) throws InterruptedException;
    }

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
    boolean help;
    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";
    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port = 9000;
    @Option(names = "--clients", paramLabel = "N", description = "Stop after serving N clients; 0 serves forever (default: ${DEFAULT-VALUE}).")
    int clients;
    @Option(names = "--max-clients", paramLabel = "N", description = "Serve at most N clients at once; further ones wait in the listen backlog (default: ${DEFAULT-VALUE}).")
    int maxClients = DEFAULT_MAX_CLIENTS;

    @Spec
    CommandSpec spec;

    private final PrintStream out;
    private final AtomicInteger clientIds = new AtomicInteger();

    private EchoServer(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the program and exits with its status (0 when it worked; 2 for a bad option).
     *
     * @param args the command line ({@code --help})
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Parses {@code args} and runs the server; returns the exit status (0, 1 on failure, 2 on a bad option). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.commandLine(new EchoServer(out), out, err).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be 0..65535, not " + port);
        }
        if (clients < 0) throw new ParameterException(spec.commandLine(), "--clients must not be negative: " + clients);
        if (maxClients < 1) {
            throw new ParameterException(spec.commandLine(), "--max-clients must be at least 1, not " + maxClients);
        }
        if (System.getProperty("dev.qsp.keyStore") == null) {
            DevIdentity.ensure(DevIdentity.defaultDirectory(), out).applyAsDefaults(true);
        }
        ServerSocketFactory factory = QspServerSocketFactory.getDefault();
        ServerSocket server;
        try {
            server = factory.createServerSocket(port, 128, InetAddress.getByName(host));
        } catch (BindException e) {
            throw Cli.bindFailure(host, port, e);
        }
        try (server) {
            serve(server, clients, maxClients, out, Thread::sleep);
        }
        return 0;
    }

    /**
     * Serves on {@code server} until {@code limit} clients have been served (0: forever), each in its own
     * virtual thread, at most {@link #DEFAULT_MAX_CLIENTS} at once, printing what happens to {@code out}.
     *
     * @param server the listening socket
     * @param limit  how many clients to serve, 0 for no limit
     * @param out    where to print
     * @throws IOException once the server socket has been closed
     */
    public static void serve(ServerSocket server, int limit, PrintStream out) throws IOException {
        serve(server, limit, DEFAULT_MAX_CLIENTS, out, Thread::sleep);
    }

    /**
     * Serves on {@code server} until {@code limit} clients have been served (0: forever), at most
     * {@code maxClients} at once; after a failed {@code accept()} it logs one line, waits {@code backOff} (50 ms,
     * doubling to 1 s while failures continue) and accepts again. Returns when {@code limit} is reached; throws
     * only when the server socket has been closed.
     *
     * @param server     the listening socket
     * @param limit      how many clients to serve, 0 for no limit
     * @param maxClients how many clients at once
     * @param out        where to print
     * @param backOff    how to wait after a failed {@code accept()}
     * @throws IOException once the server socket has been closed
     */
    public static void serve(ServerSocket server, int limit, int maxClients, PrintStream out, BackOff backOff)
            throws IOException {
        out.println("server: listening on " + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort()
                + " (QSP)");
        new EchoServer(out).acceptLoop(server, limit, maxClients, backOff);
        out.println("server: served its clients, stopping");
    }

    private void acceptLoop(ServerSocket server, int limit, int maxClients, BackOff backOff) throws IOException {
        // A slot is taken before accept() and given back when the client's thread ends, so at most maxClients
        // connections are open at once; the rest wait in the kernel's listen backlog, costing this JVM nothing.
        Semaphore slots = new Semaphore(maxClients);
        Duration pause = FIRST_BACKOFF;
        try (ExecutorService perClient = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int n = 0; limit == 0 || n < limit; ) {
                slots.acquireUninterruptibly();
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    slots.release();
                    if (server.isClosed()) throw e;
                    // e.g. EMFILE ("Too many open files"): the listening socket is fine, retry after a pause.
                    out.println("server: accept failed (" + Cli.message(e) + "); retrying in " + pause.toMillis()
                            + " ms");
                    try {
                        backOff.pause(pause);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting to accept again");
                    }
                    pause = pause.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : pause.multipliedBy(2);
                    continue;
                }
                pause = FIRST_BACKOFF;
                n++;
                perClient.submit(() -> {
                    try {
                        echo(s);
                    } finally {
                        slots.release();
                    }
                });
            }
        }
    }

    private void echo(Socket socket) {
        String who = "server: [client " + clientIds.incrementAndGet() + "]";
        try (socket) {
            if (socket instanceof QspSocket qsp) {
                qsp.addRekeyListener((s, session) -> out.println(who + " rekey complete: epoch " + session.epoch()
                        + " (rekey #" + session.rekeyCount() + ")" + rekeySources(session)));
                qsp.startHandshake();
                QspSession session = qsp.getSession();
                out.println(who + " handshake complete: " + session.suite() + ", client identity "
                        + (session.peerIdentity() == null ? "anonymous" : session.peerIdentity()));
                out.println(who + " key sources: " + keySources(session.keySourceInfo()));
            }
            InputStream in = socket.getInputStream();
            OutputStream back = socket.getOutputStream();
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buf)) >= 0) {
                back.write(buf, 0, n);
                total += n;
                if (n <= 120) out.println(who + " echoed: " + printable(buf, n));
            }
            out.println(who + " closed normally after " + total + " bytes (authenticated CLOSE)");
        } catch (IOException | RuntimeException e) {
            out.println(who + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** E.g. {@code x-wing [KEM]; qkd [QKD] key_ID=… (256 bits, SAE_A -> SAE_B)} (SPEC.md §4.5). */
    static String keySources(List<KeySourceInfo> sources) {
        return sources.stream().map(KeySourceInfo::toString).collect(Collectors.joining("; "));
    }

    /** The rekey's kind, and what a fresh one drew on: its key sources (for QKD the new key ID). */
    static String rekeySources(QspSession session) {
        return session.lastRekeyKind() == RekeyKind.FRESH ? ", fresh: " + keySources(session.lastFreshRekeySources())
                : ", ratchet (no key source called)";
    }

    static String printable(byte[] b, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = (char) (b[i] & 0xFF);
            if (c == '\n' && i == n - 1) break;
            sb.append(c >= 0x20 && c < 0x7F ? c : '.');
        }
        return sb.toString();
    }
}
