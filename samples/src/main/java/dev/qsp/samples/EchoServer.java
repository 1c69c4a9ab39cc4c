package dev.qsp.samples;

import dev.qsp.sockets.QspServerSocketFactory;
import dev.qsp.sockets.QspSession;
import dev.qsp.sockets.QspSocket;
import dev.qsp.sockets.engine.KeySourceInfo;
import dev.qsp.sockets.engine.RekeyKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.net.ServerSocketFactory;

/**
 * An echo server written as an ordinary socket program: the only QSP-specific line is where the
 * {@link ServerSocketFactory} comes from ({@link QspServerSocketFactory#getDefault()}, configured by the
 * {@code dev.qsp.*} system properties). It serves many clients at once, one virtual thread each; a client that
 * fails gets one log line and the server keeps serving the others.
 *
 * <p>Usage: {@code EchoServer [--host 127.0.0.1] [--port 9000] [--clients N]} ({@code --clients} stops after N
 * clients, for the demo). Without {@code dev.qsp.keyStore} it uses the development identity.
 */
public final class EchoServer {
    private final PrintStream out;
    private final AtomicInteger clientIds = new AtomicInteger();

    private EchoServer(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 9000;
        int clients = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: EchoServer [--host 127.0.0.1] [--port 9000] [--clients N]");
                    System.exit(2);
                }
            }
        }
        if (System.getProperty("dev.qsp.keyStore") == null) {
            DevIdentity.ensure(DevIdentity.defaultDirectory(), System.out).applyAsDefaults(true);
        }
        ServerSocketFactory factory = QspServerSocketFactory.getDefault();
        try (ServerSocket server = factory.createServerSocket(port, 128, InetAddress.getByName(host))) {
            serve(server, clients, System.out);
        }
    }

    /**
     * Serves on {@code server} until {@code limit} clients have been served (0: forever), each in its own
     * virtual thread, printing what happens to {@code out}.
     */
    public static void serve(ServerSocket server, int limit, PrintStream out) throws IOException {
        out.println("server: listening on " + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort()
                + " (QSP)");
        new EchoServer(out).acceptLoop(server, limit);
        out.println("server: served its clients, stopping");
    }

    private void acceptLoop(ServerSocket server, int limit) throws IOException {
        try (ExecutorService perClient = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int n = 0; limit == 0 || n < limit; n++) {
                Socket s = server.accept();
                perClient.submit(() -> echo(s));
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
