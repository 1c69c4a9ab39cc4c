package dev.qsp.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The command lines of EchoServer and EchoClient (issue 12 item 6), in process: --help exits 0 with the usage, a
 * bad option or value is one line on standard error and exit status 2 (and nothing is sent or served), a bind
 * failure names the address.
 */
class EchoCliTest {
    private final Properties saved = (Properties) System.getProperties().clone();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void restore() {
        System.setProperties(saved);
    }

    private int server(String... args) {
        return EchoServer.run(args, ps(out), ps(err));
    }

    private int client(String... args) {
        return EchoClient.run(args, ps(out), ps(err));
    }

    private static PrintStream ps(ByteArrayOutputStream b) {
        return new PrintStream(b, true, StandardCharsets.UTF_8);
    }

    private String out() { return out.toString(StandardCharsets.UTF_8); }

    private String err() { return err.toString(StandardCharsets.UTF_8); }

    @Test
    void clientPortWithoutValue() {
        assertEquals(2, client("--port"));
        assertEquals("EchoClient: Missing required parameter for option '--port' (PORT) (see --help)\n", err());
        assertEquals("", out());
    }

    @Test
    void clientPortNotANumber() {
        assertEquals(2, client("--port", "abc"));
        assertEquals("EchoClient: Invalid value for option '--port': 'abc' is not an int (see --help)\n", err());
        assertEquals("", out());
    }

    @Test
    void clientUnknownOptionIsNotSentAsAMessage() {
        assertEquals(2, client("--bogus"));
        assertEquals("EchoClient: Unknown option: '--bogus' (see --help)\n", err());
        assertEquals("", out());
    }

    @Test
    void clientPortOutOfRange() {
        assertEquals(2, client("--port", "70000"));
        assertEquals("EchoClient: --port must be 1..65535, not 70000 (see --help)\n", err());
    }

    @Test
    void clientHelp() {
        assertEquals(0, client("--help"));
        assertTrue(out().startsWith("Usage: EchoClient [-h] [--count=N] [--host=HOST] [--port=PORT] [MESSAGE...]\n"),
                out());
        assertTrue(out().contains("Messages to send, one line each; put them after -- if one"), out());
        assertEquals("", err());
    }

    @Test
    void clientRefusedConnectionNamesTheAddress() throws Exception {
        DevPki.get().applyAsDefaults(false);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there now
        }
        assertEquals(1, client("--port", String.valueOf(port), "hi"));
        assertTrue(err().startsWith("EchoClient: cannot connect to 127.0.0.1:" + port + ": Connection refused"), err());
        assertEquals(1, err().lines().count(), err());
    }

    @Test
    void serverBadValues() {
        assertEquals(2, server("--port", "x"));
        assertEquals("EchoServer: Invalid value for option '--port': 'x' is not an int (see --help)\n", err());
        err.reset();
        assertEquals(2, server("--max-clients", "0"));
        assertEquals("EchoServer: --max-clients must be at least 1, not 0 (see --help)\n", err());
        err.reset();
        assertEquals(2, server("extra"));
        assertEquals("EchoServer: Unmatched argument at index 0: 'extra' (see --help)\n", err());
        assertEquals("", out());
    }

    @Test
    void serverHelpListsMaxClients() {
        assertEquals(0, server("-h"));
        assertTrue(out().startsWith("Usage: EchoServer [-h] [--clients=N] [--host=ADDRESS] [--max-clients=N]\n"
                + "                  [--port=PORT]\n"), out());
        assertTrue(out().contains("--max-clients=N   Serve at most N clients at once"), out());
        assertTrue(out().contains("the listen backlog (default: 256).\n"), out());
    }

    @Test
    void serverBindFailureNamesThePort() throws Exception {
        DevPki.get().applyAsDefaults(true);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertEquals(1, server("--port", String.valueOf(port), "--clients", "1"));
            assertEquals("EchoServer: cannot listen on 127.0.0.1:" + port + ": Address already in use (is another "
                    + "server on port " + port + "? choose one with --port)\n", err());
        }
    }
}
