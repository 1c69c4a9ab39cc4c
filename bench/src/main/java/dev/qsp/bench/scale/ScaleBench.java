package dev.qsp.bench.scale;

import dev.qsp.bench.net.KeyTool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./qsp bench scale}: N concurrent idle connections (default 10,000) to four servers, each in its own JVM
 * with the clients in another ({@link ScaleServer}, {@link ScaleClient}): QSP's Netty handler against Netty's
 * {@code SslHandler} over SunJSSE's {@code SSLEngine} (TLS 1.3), and QSP's blocking server socket against
 * SunJSSE's, a virtual thread per connection blocked in {@code read}. The figure is the server JVM's heap after
 * full GCs with the connections open, minus the same before they were opened, per connection.
 * Options: {@code --connections N}, {@code --only qsp-netty,tls-netty,...}.
 */
public final class ScaleBench {
    private ScaleBench() {
    }

    record Row(String mode, int held, long heapPerConn, long directPerConn, String clientDone) {}

    public static void main(String[] args) throws Exception {
        int n = 10_000;
        List<String> modes = List.of("qsp-netty", "tls-netty", "qsp-blocking", "tls-blocking");
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--connections")) n = Integer.parseInt(args[i + 1]);
            else if (args[i].equals("--only")) modes = List.of(args[i + 1].split(","));
            else throw new IllegalArgumentException("options: --connections N, --only MODE[,MODE...]; got " + args[i]);
        }
        String jar = Path.of(ScaleBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        System.out.println("qsp bench scale: " + n + " concurrent idle connections per server, client and server in separate JVMs");
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name")
                + " " + System.getProperty("os.version") + ", JDK " + System.getProperty("java.version"));
        Map<String, Row> rows = new LinkedHashMap<>();
        try (KeyTool keys = new KeyTool()) {
            Path qsp = keys.generate("scale-qsp", "ML-DSA-65", null);
            Path tls = keys.generate("scale-tls", "EC", "secp256r1");
            for (String mode : modes) {
                Row r = run(jar, mode, n, qsp, tls);
                rows.put(mode, r);
                System.out.printf("%s: %d held (%s), heap %,d bytes per connection, Netty direct %,d%n",
                        mode, r.held, r.clientDone, r.heapPerConn, r.directPerConn);
            }
        }
        System.out.println();
        System.out.println("| Server | Connections held | Heap per connection | × SunJSSE | Target |");
        System.out.println("|---|---:|---:|---:|---|");
        line(rows, "qsp-netty", "tls-netty", "QSP, Netty `QspHandler`", "≤ 16 KiB");
        line(rows, "tls-netty", "tls-netty", "SunJSSE TLS 1.3, Netty `SslHandler`", "");
        line(rows, "qsp-blocking", "tls-blocking", "QSP, blocking `QspServerSocket`, read pending", "≤ 1.0× SunJSSE");
        line(rows, "tls-blocking", "tls-blocking", "SunJSSE TLS 1.3, blocking `SSLServerSocket`, read pending", "");
    }

    private static void line(Map<String, Row> rows, String mode, String ref, String label, String target) {
        Row r = rows.get(mode);
        if (r == null) return;
        Row b = rows.get(ref);
        String ratio = b == null ? "-" : String.format("%.2f", (double) r.heapPerConn / b.heapPerConn);
        String status = target.isEmpty() ? "" : target + (target.startsWith("≤ 16") ? (r.heapPerConn <= 16 * 1024 ? ": met" : ": missed")
                : b == null ? "" : (r.heapPerConn <= b.heapPerConn ? ": met" : ": missed"));
        System.out.printf("| %s | %,d | %,d bytes (%.1f KiB) | %s | %s |%n", label, r.held, r.heapPerConn,
                r.heapPerConn / 1024.0, ratio, status);
    }

    private static Row run(String jar, String mode, int n, Path qsp, Path tls) throws Exception {
        List<String> serverJvm = List.of("-Xmx2g", "-XX:+UseG1GC");
        try (Jvm server = Jvm.start(jar, serverJvm, ScaleServer.class, mode, qsp.toString(), tls.toString(), String.valueOf(n + 100))) {
            String port = server.expect("port=");
            long[] base = heap(server);
            try (Jvm client = Jvm.start(jar, List.of("-Xmx2g"), ScaleClient.class, mode.startsWith("qsp") ? "qsp" : "tls",
                    port, qsp.toString(), tls.toString())) {
                client.send("open " + n);
                String done = client.expect("done ");
                long[] h = heap(server);
                int held = (int) h[2];
                return new Row(mode, held, (h[0] - base[0]) / Math.max(1, held), (h[1] - base[1]) / Math.max(1, held), done);
            }
        }
    }

    /** {heap, direct, open} of the server after full GCs. */
    private static long[] heap(Jvm server) throws IOException {
        server.send("heap");
        String[] w = server.expect("heap=").split(" ");
        return new long[] {Long.parseLong(w[0]), Long.parseLong(w[1].substring("direct=".length())),
                Long.parseLong(w[2].substring("open=".length()))};
    }

    /** A child JVM driven by lines on stdin, answering on stdout. */
    static final class Jvm implements AutoCloseable {
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

        void send(String line) { in.println(line); }

        String expect(String prefix) throws IOException {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(prefix)) return line.substring(prefix.length());
                System.out.println("  [" + process.pid() + "] " + line);
            }
            throw new IOException("the child JVM ended before printing " + prefix);
        }

        @Override
        public void close() throws InterruptedException {
            in.close();
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }
}
