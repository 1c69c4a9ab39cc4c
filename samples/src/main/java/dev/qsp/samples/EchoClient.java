package dev.qsp.samples;

import dev.qsp.sockets.QspSession;
import dev.qsp.sockets.QspSocket;
import dev.qsp.sockets.QspSocketFactory;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.net.SocketFactory;

/**
 * An echo client written as an ordinary socket program: it gets its {@link SocketFactory} from
 * {@link QspSocketFactory#getDefault()} (configured by the {@code dev.qsp.*} system properties) and otherwise
 * only writes, reads and closes. It prints the handshake, every echoed message and every rekey.
 *
 * <p>Usage: {@code EchoClient [--host 127.0.0.1] [--port 9000] [--count 8] [message ...]}. Without
 * {@code dev.qsp.trustStore} it uses the development identity and expects the server to be {@code localhost}.
 */
public final class EchoClient {
    private EchoClient() {}

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 9000;
        int count = 8;
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--count" -> count = Integer.parseInt(args[++i]);
                default -> messages.add(args[i]);
            }
        }
        if (messages.isEmpty()) {
            for (int i = 1; i <= count; i++) messages.add("hello, quantum-safe world #" + i);
        }
        if (System.getProperty("dev.qsp.trustStore") == null && System.getProperty("dev.qsp.pinnedKey") == null) {
            DevIdentity.ensure(DevIdentity.defaultDirectory(), System.out).applyAsDefaults(false);
            if (System.getProperty("dev.qsp.expectedIdentity") == null) {
                System.setProperty("dev.qsp.expectedIdentity", "localhost"); // the dev server's certificate name
            }
        }
        SocketFactory factory = QspSocketFactory.getDefault();
        try (Socket socket = factory.createSocket(host, port)) {
            System.out.println("client: connected to " + host + ":" + port);
            talk(socket, messages, System.out);
        }
    }

    /**
     * Sends each message and reads its echo, then half-closes and waits for the server's CLOSE, printing the
     * handshake, the echoes and the rekeys to {@code out}.
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
