package dev.qsp.tunnel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain TCP -> client tunnel -> QSP -> server tunnel -> a TCP service, in-process, plus the refusal of a plain
 * client, the config file and SIGTERM on a real tunnel process.
 */
class TunnelTest {
    @TempDir
    Path dir;

    private static byte[] data(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A TCP echo service: echoes until the client's FIN, then sends its own FIN (half-close both ways). */
    private static Future<Long> echoService(ServerSocket ss, ExecutorService t) {
        return t.submit(() -> {
            try (Socket s = ss.accept()) {
                s.setSoTimeout((int) TimeUnit.SECONDS.toMillis(LineLog.TIMEOUT_SECONDS)); // a broken test fails, not hangs
                InputStream in = s.getInputStream();
                byte[] buf = new byte[40_000];
                long n = 0;
                for (int k; (k = in.read(buf)) >= 0; n += k) s.getOutputStream().write(buf, 0, k);
                s.shutdownOutput();
                return n;
            }
        });
    }

    @Test
    void bytesCrossBothTunnelsBothWaysWithRekeysAndHalfCloseAndEachEndLogsTheConnection() throws Exception {
        byte[] payload = data(Integer.getInteger("qsp.test.tunnelBytes", 5 << 20), 1);
        try (ExecutorService t = Executors.newVirtualThreadPerTaskExecutor();
             ServerSocket service = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             TunnelFixture f = new TunnelFixture(dir, service.getLocalPort(), Map.of("dev.qsp.rekey.records", "64"))) {
            Future<Long> echoed = echoService(service, t);
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), f.clientPort())) {
                c.setSoTimeout(30_000);
                Future<?> w = t.submit(() -> {
                    c.getOutputStream().write(payload);
                    c.shutdownOutput(); // FIN -> CLOSE_NOTIFY -> FIN at the service
                    return null;
                });
                byte[] back;
                try {
                    back = c.getInputStream().readAllBytes(); // to the service's FIN, relayed as CLOSE then FIN
                } catch (java.net.SocketTimeoutException e) {
                    throw new AssertionError("stalled; tunnel log:\n" + f.lines.all(), e);
                }
                w.get(LineLog.TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertArrayEquals(payload, back);
            }
            assertEquals(payload.length, echoed.get(LineLog.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            String serverLine = f.awaitLine("(QSP) -> " + "127.0.0.1:" + service.getLocalPort());
            assertTrue(serverLine.contains("ended cleanly"), serverLine);
            assertTrue(serverLine.contains("bytes QSP->TCP " + payload.length + ", TCP->QSP " + payload.length), serverLine);
            assertTrue(serverLine.contains("suite AES-256-GCM"), serverLine);
            assertTrue(serverLine.contains("peer anonymous"), serverLine);
            String clientLine = f.awaitLine("(TCP) -> ");
            assertTrue(clientLine.contains("peer localhost"), clientLine);
            assertTrue(clientLine.contains("ended cleanly"), clientLine);
            assertTrue(clientLine.contains("key sources [x-wing]"), clientLine);
            long rekeys = Long.parseLong(clientLine.replaceAll(".*rekeys (\\d+).*", "$1"));
            assertTrue(rekeys > 0, clientLine);
        }
    }

    @Test
    void aPortInUseIsNamedAndTheServicesBoundBeforeItAreClosed() throws Exception {
        InetAddress a = InetAddress.getLoopbackAddress();
        dev.qsp.sockets.QspContext ctx = TestIdentities.get().clientContext().build();
        int firstPort;
        try (ServerSocket probe = new ServerSocket(0, 1, a)) {
            firstPort = probe.getLocalPort(); // free a moment ago: the first service binds it below
        }
        try (ServerSocket taken = new ServerSocket(0, 1, a)) {
            InetSocketAddress elsewhere = new InetSocketAddress(a, taken.getLocalPort());
            Service first = new Service("first", Service.Mode.CLIENT, new InetSocketAddress(a, firstPort), elsewhere, ctx, "x");
            Service second = new Service("second", Service.Mode.CLIENT, elsewhere, elsewhere, ctx, "x");
            LineLog lines = new LineLog();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Tunnel.start(List.of(first, second), lines.stream(), 1));
            assertTrue(e.getMessage().startsWith("cannot listen on " + a.getHostAddress() + ":" + taken.getLocalPort() + ": "),
                    e.getMessage());
            assertTrue(e.getCause() instanceof java.net.BindException, String.valueOf(e.getCause()));
        }
        // the first service's listener was closed by the failed start: its port can be bound again
        try (ServerSocket again = new ServerSocket(firstPort, 1, a)) {
            assertEquals(firstPort, again.getLocalPort());
        }
    }

    @Test
    void plainClientToTheServerTunnelIsRefusedAndTheServiceNeverSeesIt() throws Exception {
        try (ServerSocketChannel service = ServerSocketChannel.open()) {
            service.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).configureBlocking(false);
            int port = ((InetSocketAddress) service.getLocalAddress()).getPort();
            try (TunnelFixture f = new TunnelFixture(dir, port, Map.of());
                 Socket plain = new Socket(InetAddress.getLoopbackAddress(), f.serverPort())) {
                // a PostgreSQL SSLRequest, what a plain psql sends first
                plain.getOutputStream().write(new byte[] {0, 0, 0, 8, 4, (byte) 0xd2, 0x16, 0x2f});
                plain.getInputStream().readAllBytes(); // the tunnel's CLOSE (if any), then end of stream
                String line = f.awaitLine("no handshake");
                assertTrue(line.contains("QSP leg:"), line);
                assertNull(service.accept(), "the tunnel never connected to the service");
            }
        }
    }

    @Test
    void configFileRunsSeveralServicesAndNamesItsMistakes() throws Exception {
        Map<String, String> sp = TunnelFixture.serverProps(dir);
        Map<String, String> cp = TunnelFixture.clientProps(dir);
        StringBuilder conf = new StringBuilder("# global keys apply to every service\n");
        cp.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
        conf.append("\n[pg-in]\nmode = server\naccept = 127.0.0.1:0\nconnect = 127.0.0.1:5432\n");
        sp.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
        conf.append("dev.qsp.rekey.records = 128\n");
        conf.append("\n[pg-out]\nmode = client\naccept = 127.0.0.1:0\nconnect = [::1]:15432\n");
        Path file = Files.writeString(dir.resolve("tunnel.conf"), conf);
        List<Service> services = TunnelMain.TunnelConfig.parse(file, Map.of());
        assertEquals(2, services.size());
        assertEquals("pg-in", services.get(0).name());
        assertEquals(Service.Mode.SERVER, services.get(0).mode());
        assertEquals(128, services.get(0).context().rekeyAfterRecords());
        assertEquals(Service.Mode.CLIENT, services.get(1).mode());
        assertTrue(services.get(1).connect().getAddress().isLoopbackAddress(), "[::1] parsed as the IPv6 loopback");
        assertEquals(15432, services.get(1).connect().getPort());

        Path bad = Files.writeString(dir.resolve("bad.conf"), "[x]\nmode = server\naccept = 127.0.0.1:1\nconect = 127.0.0.1:2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TunnelMain.TunnelConfig.parse(bad, Map.of()));
        assertTrue(e.getMessage().endsWith("bad.conf:4: unknown key 'conect' (mode, accept, connect, dev.qsp.*, qsp.qkd.*)"), e.getMessage());
        Path noPort = Files.writeString(dir.resolve("noport.conf"), "[x]\nmode = client\naccept = 127.0.0.1\nconnect = 127.0.0.1:2\n");
        e = assertThrows(IllegalArgumentException.class, () -> TunnelMain.TunnelConfig.parse(noPort, cp));
        assertTrue(e.getMessage().contains("accept must be HOST:PORT, got '127.0.0.1'"), e.getMessage());
    }

    /** The real command in its own JVM: it serves, and SIGTERM stops it cleanly (exit 143 after the hook ran). */
    @Test
    void tunnelProcessServesAndStopsOnSigterm() throws Exception {
        Map<String, String> sp = TunnelFixture.serverProps(dir);
        try (ServerSocket service = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = probe.getLocalPort();
            probe.close(); // a free port for the tunnel to listen on
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            sp.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.addAll(List.of("-p", System.getProperty("jdk.module.path"), "-m", "dev.qsp.tunnel/dev.qsp.tunnel.TunnelMain",
                    "server", "--name", "sigterm", "--accept", "127.0.0.1:" + port, "--connect", "127.0.0.1:" + service.getLocalPort()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try {
                java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                ByteArrayOutputStream seen = new ByteArrayOutputStream();
                for (String l; (l = out.readLine()) != null; ) {
                    seen.write((l + "\n").getBytes(StandardCharsets.UTF_8));
                    if (l.startsWith("tunnel: running")) break;
                }
                assertTrue(seen.toString(StandardCharsets.UTF_8).contains("tunnel[sigterm]: server mode, accepting QSP on 127.0.0.1:" + port),
                        seen.toString(StandardCharsets.UTF_8));
                // SIGTERM (Process.destroy would also close our end of its output)
                assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
                StringBuilder restOut = new StringBuilder();
                for (String l; (l = out.readLine()) != null; ) restOut.append(l).append('\n');
                String rest = restOut.toString();
                assertTrue(p.waitFor(LineLog.TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertTrue(rest.contains("tunnel: stopping") && rest.contains("tunnel: stopped"), rest);
                assertEquals(143, p.exitValue(), rest);
            } finally {
                p.destroyForcibly();
            }
        }
    }
}
