package dev.qsp.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * EchoServer's accept loop keeps serving (issue 9 item 5): an {@code accept()} that throws (as with "Too many open
 * files") costs one log line and a back-off, and the next legitimate client is served; at most
 * {@code maxClients} clients are served at once. The accept failures are injected and the back-off is recorded
 * instead of slept. Plain TCP clients: the loop is the same whatever the server socket.
 */
class EchoServerAcceptLoopTest {
    /** A loopback server socket whose first {@code failures} accepts throw, then work. */
    static class FlakyServerSocket extends ServerSocket {
        final AtomicInteger calls = new AtomicInteger();
        private final int failures;
        volatile Runnable onAccept = () -> { };

        FlakyServerSocket(int failures) throws IOException {
            super(0, 50, InetAddress.getLoopbackAddress());
            this.failures = failures;
        }

        @Override
        public Socket accept() throws IOException {
            int n = calls.incrementAndGet();
            onAccept.run();
            if (n <= failures) throw new IOException("Too many open files");
            return super.accept();
        }
    }

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

    private static void echoOnce(int port, String message) throws IOException {
        try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
            c.getOutputStream().write((message + "\n").getBytes(StandardCharsets.UTF_8));
            InputStream in = c.getInputStream();
            assertEquals(message + "\n", new String(in.readNBytes(message.length() + 1), StandardCharsets.UTF_8));
            c.shutdownOutput();
            assertEquals(-1, in.read());
        }
    }

    @Test
    void acceptFailuresAreLoggedBackedOffAndTheNextClientIsServed() throws Exception {
        List<Duration> pauses = new CopyOnWriteArrayList<>();
        try (FlakyServerSocket ss = new FlakyServerSocket(3);
             ExecutorService t = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> server = t.submit(() -> {
                EchoServer.serve(ss, 1, 4, out, pauses::add);
                return null;
            });
            echoOnce(ss.getLocalPort(), "after the failures");
            server.get(60, TimeUnit.SECONDS);
            assertEquals(4, ss.calls.get());
        }
        assertEquals(List.of(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200)), pauses);
        String s = log.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("server: accept failed (Too many open files); retrying in 50 ms\n"
                + "server: accept failed (Too many open files); retrying in 100 ms\n"
                + "server: accept failed (Too many open files); retrying in 200 ms\n"), s);
        assertTrue(s.contains("server: [client 1] echoed: after the failures\n"), s);
        assertTrue(s.endsWith("server: served its clients, stopping\n"), s);
    }

    @Test
    void backOffIsCappedAtOneSecond() throws Exception {
        List<Duration> pauses = new CopyOnWriteArrayList<>();
        try (FlakyServerSocket ss = new FlakyServerSocket(7);
             ExecutorService t = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> server = t.submit(() -> {
                EchoServer.serve(ss, 1, 4, out, pauses::add);
                return null;
            });
            echoOnce(ss.getLocalPort(), "x");
            server.get(60, TimeUnit.SECONDS);
        }
        assertEquals(List.of(50L, 100L, 200L, 400L, 800L, 1000L, 1000L),
                pauses.stream().map(Duration::toMillis).toList());
    }

    @Test
    void aClosedServerSocketEndsTheLoopWithoutRetrying() throws Exception {
        List<Duration> pauses = new CopyOnWriteArrayList<>();
        try (FlakyServerSocket ss = new FlakyServerSocket(0)) {
            ss.onAccept = () -> {
                try {
                    ss.close();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            };
            assertThrows(SocketException.class, () -> EchoServer.serve(ss, 0, 4, out, pauses::add));
        }
        assertEquals(List.of(), pauses);
    }

    @Test
    void atMostMaxClientsAreServedAtOnce() throws Exception {
        List<String> logWhenAccepting = new CopyOnWriteArrayList<>();
        try (FlakyServerSocket ss = new FlakyServerSocket(0);
             ExecutorService t = Executors.newVirtualThreadPerTaskExecutor()) {
            ss.onAccept = () -> logWhenAccepting.add(log.toString(StandardCharsets.UTF_8));
            Future<?> server = t.submit(() -> {
                EchoServer.serve(ss, 2, 1, out, d -> {
                    throw new AssertionError("no accept failed");
                });
                return null;
            });
            echoOnce(ss.getLocalPort(), "first");
            echoOnce(ss.getLocalPort(), "second");
            server.get(60, TimeUnit.SECONDS);
        }
        assertEquals(2, logWhenAccepting.size());
        // With one slot the second accept() starts only after the first client's connection has ended.
        assertTrue(logWhenAccepting.get(1).contains("server: [client 1] closed normally after 6 bytes"),
                logWhenAccepting.get(1));
    }
}
