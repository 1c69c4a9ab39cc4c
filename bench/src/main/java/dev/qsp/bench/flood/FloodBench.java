package dev.qsp.bench.flood;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.qsp.bench.net.KeyTool;
import dev.qsp.sockets.QspContext;
import dev.qsp.sockets.QspSocket;

/**
 * {@code ./qsp bench flood} (issue 9): can unauthenticated peers hurt a QSP server? Three JVMs on 127.0.0.1: a
 * server at {@code -Xmx256m} ({@link FloodServer}), an attacker ({@link FloodAttacker}, from 127.0.0.2) and this
 * driver, which is also the legitimate client (from 127.0.0.1). The server's admission caps are raised above the
 * flood so that it really holds every connection (the figure to show is the memory bound, not the cap); its
 * first-flight and handshake deadlines are raised so that nothing times out during the run.
 * <ol>
 *   <li>plain TCP baseline: the same echo server on {@code java.net.ServerSocket}, heap per silent connection
 *       ("the socket itself": socket, virtual thread blocked in read, its 512-byte buffer);</li>
 *   <li>QSP: the legitimate client's handshake + 64-byte echo, median of 20 after 10 warm-up, without flood;</li>
 *   <li>10,000 silent connections: heap per connection;</li>
 *   <li>2,000 partial ClientHellos (8,000 of 16,000 announced bytes, then silence): heap per connection;</li>
 *   <li>the legitimate client again, under the flood; then whether the server is still alive and serving.</li>
 * </ol>
 * Usage: {@code FloodBench [--silent 10000] [--partial 2000] [--partial-bytes 8000]}.
 */
public final class FloodBench {
    private FloodBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new TreeMap<>(Map.of("--silent", "10000", "--partial", "2000", "--partial-bytes", "8000"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i], args[i + 1]);
        }
        int silent = Integer.parseInt(opt.get("--silent"));
        int partial = Integer.parseInt(opt.get("--partial"));
        int partialBytes = Integer.parseInt(opt.get("--partial-bytes"));
        String jar = Path.of(FloodBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();

        System.out.println("qsp bench flood: " + silent + " silent connections and " + partial
                + " partial ClientHellos (" + partialBytes + " of 16,000 bytes) against a server at -Xmx256m");
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", JDK "
                + System.getProperty("java.version"));

        // 1. plain TCP baseline
        long plainPerConn;
        try (Jvm server = Jvm.start(jar, List.of("-Xmx256m"), FloodServer.class, "--plain")) {
            int port = Integer.parseInt(server.expect("port="));
            long base = heap(server);
            try (Jvm attacker = Jvm.start(jar, List.of(), FloodAttacker.class, String.valueOf(port), "127.0.0.2")) {
                attacker.send("silent " + silent);
                String done = attacker.expect("done ");
                long[] h = heapWhenOpen(server, silent);
                plainPerConn = (h[0] - base) / silent;
                System.out.printf("plain TCP: %d silent connections held (%s), heap %,d bytes per connection%n",
                        h[1], done, plainPerConn);
            }
        }

        // 2.-5. QSP
        try (KeyTool keyTool = new KeyTool()) {
            Path store = keyTool.generate("flood-server", "ML-DSA-65", null);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, KeyTool.PASSWORD);
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server", ks.getCertificate(KeyTool.ALIAS));
            QspContext client = QspContext.builder().trustStore(trust).expectedPeerIdentity("localhost").build();
            int cap = silent + partial + 100;
            List<String> jvm = List.of("-Xmx256m", "-Ddev.qsp.server.maxHandshakes=" + cap,
                    "-Ddev.qsp.server.maxHandshakesPerAddress=" + cap, "-Dflood.helloTimeoutSeconds=600",
                    "-Dflood.handshakeTimeoutSeconds=600");
            try (Jvm server = Jvm.start(jar, jvm, FloodServer.class, store.toString())) {
                int port = Integer.parseInt(server.expect("port="));
                double calm = legitimate(client, port);
                System.out.printf("QSP, no flood: legitimate handshake + echo %.1f ms (median of 20)%n", calm);
                long base = heap(server);
                try (Jvm attacker = Jvm.start(jar, List.of(), FloodAttacker.class, String.valueOf(port), "127.0.0.2")) {
                    attacker.send("silent " + silent);
                    String done = attacker.expect("done ");
                    long[] h = heapWhenOpen(server, silent);
                    long perSilent = (h[0] - base) / silent;
                    System.out.printf("QSP: %d silent connections held (%s), heap %,d bytes per connection, %,d beyond plain TCP's%n",
                            h[1], done, perSilent, perSilent - plainPerConn);
                    attacker.send("partial " + partial + " " + partialBytes);
                    done = attacker.expect("done ");
                    long[] h2 = heapWhenOpen(server, silent + partial);
                    System.out.printf("QSP: %d partial ClientHellos held (%s), heap %,d bytes per connection%n",
                            h2[1] - h[1], done, (h2[0] - h[0]) / partial);
                    System.out.printf("QSP: server heap used after GC %,d KiB of 262,144 with %d connections%n",
                            h2[0] / 1024, h2[1]);
                    double flooded = legitimate(client, port);
                    System.out.printf("QSP, under flood: legitimate handshake + echo %.1f ms (median of 20), %.2fx the time without%n",
                            flooded, flooded / calm);
                    String last = heapLine(server);
                    boolean alive = server.process.isAlive();
                    boolean serving;
                    try {
                        legitimateOnce(client, port);
                        serving = true;
                    } catch (IOException e) {
                        serving = false;
                    }
                    System.out.println("server survived: " + (alive && serving ? "yes" : "NO") + " (" + last + ")");
                }
            }
        }
    }

    /** Median time of a full handshake + 64-byte echo, 10 warm-up rounds first. */
    private static double legitimate(QspContext client, int port) throws IOException {
        for (int i = 0; i < 10; i++) {
            legitimateOnce(client, port);
        }
        double[] t = new double[20];
        for (int i = 0; i < t.length; i++) {
            t[i] = legitimateOnce(client, port);
        }
        Arrays.sort(t);
        return (t[9] + t[10]) / 2;
    }

    private static double legitimateOnce(QspContext client, int port) throws IOException {
        long start = System.nanoTime();
        try (QspSocket s = (QspSocket) client.getSocketFactory().createSocket("127.0.0.1", port)) {
            byte[] msg = new byte[64];
            Arrays.fill(msg, (byte) 'x');
            s.getOutputStream().write(msg);
            byte[] back = s.getInputStream().readNBytes(64);
            if (!Arrays.equals(msg, back)) {
                throw new IOException("echo differs");
            }
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static long heap(Jvm server) throws IOException {
        return Long.parseLong(heapLine(server).split(" ")[0].substring("heap=".length()));
    }

    private static String heapLine(Jvm server) throws IOException {
        server.send("heap");
        return "heap=" + server.expect("heap=");
    }

    /** Heap after GC once the server serves at least {@code n} connections (accepts may still be draining). */
    private static long[] heapWhenOpen(Jvm server, int n) throws IOException, InterruptedException {
        for (int i = 0; i < 100; i++) {
            String line = heapLine(server);
            long heap = Long.parseLong(line.split(" ")[0].substring(5));
            int open = Integer.parseInt(line.split(" ")[1].substring(5));
            if (open >= n) {
                return new long[] {heap, open};
            }
            Thread.sleep(200); // a benchmark, not a test: waits for the server's accept loop to catch up
        }
        throw new IllegalStateException("the server never held " + n + " connections: " + heapLine(server));
    }

    /** A child JVM on the same jar, with line-based stdin/stdout. */
    private static final class Jvm implements AutoCloseable {
        final Process process;
        final PrintWriter in;
        final BufferedReader out;

        private Jvm(Process p) {
            process = p;
            in = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        }

        static Jvm start(String jar, List<String> jvmArgs, Class<?> main, String... args) throws IOException {
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmArgs);
            cmd.add("-cp");
            cmd.add(jar);
            cmd.add(main.getName());
            cmd.addAll(List.of(args));
            return new Jvm(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }

        void send(String line) {
            in.println(line);
        }

        /** The rest of the next line that starts with {@code prefix} (other lines are echoed). */
        String expect(String prefix) throws IOException {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length());
                }
                System.out.println("  [" + process.pid() + "] " + line);
            }
            throw new IOException("the child JVM ended before printing " + prefix);
        }

        @Override
        public void close() throws InterruptedException {
            in.close();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
