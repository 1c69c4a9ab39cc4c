package dev.qsp.samples;

import dev.qsp.sockets.QspSession;
import dev.qsp.sockets.QspSocket;
import dev.qsp.sockets.QspSocketFactory;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import javax.net.SocketFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * An echo client written as an ordinary socket program: it gets its {@link SocketFactory} from
 * {@link QspSocketFactory#getDefault()} (configured by the {@code dev.qsp.*} system properties) and otherwise
 * only writes, reads and closes. It prints the handshake, every echoed message and every rekey.
 *
 * <p>Usage: {@code EchoClient [--host 127.0.0.1] [--port 9000] [--count 8] [--] [message ...]}: an argument
 * that starts with {@code -} is an option (an unknown one is an error, never a message) unless it follows
 * {@code --}. Without {@code dev.qsp.trustStore} it uses the development identity and expects the server to be
 * {@code localhost}.
 */
@Command(name = "EchoClient", sortOptions = false,
        description = "An echo client over QSP (configured by the dev.qsp.* system properties; without "
                + "dev.qsp.trustStore it trusts the development CA and expects the server to be localhost).")
public final class EchoClient implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
    boolean help;
    @Option(names = "--host", paramLabel = "HOST", description = "Server to connect to (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";
    @Option(names = "--port", paramLabel = "PORT", description = "Server port (default: ${DEFAULT-VALUE}).")
    int port = 9000;
    @Option(names = "--count", paramLabel = "N", description = "Without messages: send N numbered greetings (default: ${DEFAULT-VALUE}).")
    int count = 8;
    @Parameters(paramLabel = "MESSAGE", arity = "0..*",
            description = "Messages to send, one line each; put them after -- if one starts with '-'.")
    List<String> messages = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private final PrintStream out;

    private EchoClient(PrintStream out) {
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

    /** Parses {@code args} and runs the client; returns the exit status (0, 1 on failure, 2 on a bad option). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.commandLine(new EchoClient(out), out, err).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65535) throw new ParameterException(spec.commandLine(), "--port must be 1..65535, not " + port);
        if (count < 0) throw new ParameterException(spec.commandLine(), "--count must not be negative: " + count);
        List<String> toSend = new ArrayList<>(messages);
        if (toSend.isEmpty()) {
            for (int i = 1; i <= count; i++) toSend.add("hello, quantum-safe world #" + i);
        }
        if (System.getProperty("dev.qsp.trustStore") == null && System.getProperty("dev.qsp.pinnedKey") == null) {
            DevIdentity.ensure(DevIdentity.defaultDirectory(), out).applyAsDefaults(false);
            if (System.getProperty("dev.qsp.expectedIdentity") == null) {
                System.setProperty("dev.qsp.expectedIdentity", "localhost"); // the dev server's certificate name
            }
        }
        SocketFactory factory = QspSocketFactory.getDefault();
        Socket connected;
        try {
            connected = factory.createSocket(host, port);
        } catch (ConnectException e) {
            throw new ConnectException("cannot connect to " + host + ":" + port + ": " + Cli.message(e));
        }
        try (Socket socket = connected) {
            out.println("client: connected to " + host + ":" + port);
            talk(socket, toSend, out);
        }
        return 0;
    }

    /**
     * Sends each message and reads its echo, then half-closes and waits for the server's CLOSE, printing the
     * handshake, the echoes and the rekeys to {@code out}.
     *
     * @param socket   a connected socket (a {@code QspSocket} also prints its session)
     * @param messages the messages to send
     * @param out      where to print
     * @throws IOException if the connection fails or an echo differs
     */
    public static void talk(Socket socket, List<String> messages, PrintStream out) throws IOException {
        if (socket instanceof QspSocket qsp) {
            qsp.addRekeyListener((s, session) -> out.println("client: rekey complete: epoch " + session.epoch()
                    + " (rekey #" + session.rekeyCount() + ")" + EchoServer.rekeySources(session)));
            qsp.startHandshake();
            QspSession session = qsp.getSession();
            out.println("client: handshake complete: " + session.suite() + ", server identity "
                    + session.peerIdentity() + session.peerCertificate()
                    .map(c -> " (" + c.getSubjectX500Principal().getName() + ", issued by "
                            + c.getIssuerX500Principal().getName() + ")").orElse(""));
            out.println("client: key sources: " + EchoServer.keySources(session.keySourceInfo()));
        }
        InputStream in = socket.getInputStream();
        OutputStream o = socket.getOutputStream();
        for (String m : messages) {
            byte[] sent = (m + "\n").getBytes(StandardCharsets.UTF_8);
            o.write(sent);
            byte[] echo = in.readNBytes(sent.length);
            if (echo.length < sent.length) throw new EOFException("the server closed before echoing everything");
            out.println("client: echo: " + new String(echo, StandardCharsets.UTF_8).strip());
        }
        socket.shutdownOutput(); // half-close: our CLOSE goes out, the server's still comes in
        if (in.read() != -1) throw new IOException("unexpected data after the echoes");
        out.println("client: server closed the connection normally (authenticated CLOSE)");
    }
}
