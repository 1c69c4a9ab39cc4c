package dev.qsp.bench.tunnel;

import dev.qsp.bench.net.KeyTool;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./qsp bench tunnel}: the same local service reached three ways in one run — directly over TCP, through a
 * stunnel4 client+server pair (Debian's stunnel, TLS 1.3, a throwaway self-signed ECDSA P-256 certificate made
 * with openssl at run time, verified by the client) and through a QSP client+server tunnel pair
 * ({@link TunnelHost}, its own JVM, X-Wing + ML-DSA-65, AES-256-GCM). Throughput: 256 MiB in 64 KiB writes to a
 * sink that answers with the count once the client's FIN arrives (from the first write to the answer). Latency:
 * 64-byte round trips to an echo, one at a time, after a warm-up. The rounds alternate the three paths so that the
 * machine's load falls on all of them alike; the median of the rounds is reported.
 * Options: {@code --mib 256}, {@code --rounds 5}, {@code --trips 5000}.
 */
public final class TunnelBench {
    private TunnelBench() {
    }

    public static void main(String[] args) throws Exception {
        int mib = 256;
        int rounds = 5;
        int trips = 5000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--mib" -> mib = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--trips" -> trips = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("options: --mib N, --rounds N, --trips N; got " + args[i]);
            }
        }
        String jar = Path.of(TunnelBench.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        System.out.println("qsp bench tunnel: " + mib + " MiB and 64-byte round trips, direct TCP vs stunnel4 (TLS 1.3) vs QSP tunnels");
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name")
                + " " + System.getProperty("os.version") + ", JDK " + System.getProperty("java.version") + ", load average "
                + Files.readString(Path.of("/proc/loadavg")).strip());
        ServerSocket service = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("bench-service").start(() -> serveForever(service));
        try (KeyTool keys = new KeyTool()) {
            Path dir = keys.dir();
            Path qspStore = keys.generate("tunnel-qsp", "ML-DSA-65", null);
            Process stunnel = startStunnel(dir, service.getLocalPort());
            Process qsp = startJvm(jar, TunnelHost.class, qspStore.toString(), String.valueOf(service.getLocalPort()));
            try {
                int stunnelPort = stunnelClientPort;
                BufferedReader qspOut = new BufferedReader(new InputStreamReader(qsp.getInputStream(), StandardCharsets.UTF_8));
                String ports;
                do {
                    ports = qspOut.readLine(); // other lines (a JVM's own notices) come first
                } while (ports != null && !ports.startsWith("ports client="));
                if (ports == null || !ports.startsWith("ports client=")) throw new IOException("the QSP tunnel JVM said: " + ports);
                int qspPort = Integer.parseInt(ports.substring("ports client=".length()).split(" ")[0]);
                String stunnelVersion = stunnelVersion();
                System.out.println("stunnel: " + stunnelVersion);
                awaitListening(stunnelPort);
                Map<String, Integer> paths = new LinkedHashMap<>();
                paths.put("direct TCP", service.getLocalPort());
                paths.put("stunnel4, TLS 1.3", stunnelPort);
                paths.put("QSP tunnel", qspPort);
                Map<String, List<Double>> tput = new LinkedHashMap<>();
                Map<String, List<Double>> rtt = new LinkedHashMap<>();
                // CPU seconds the tunnel process spent per transfer (all its threads: both ends, and for the QSP
                // JVM its JIT and GC): unlike the wall-clock rate, barely moved by what else the machine runs
                Map<String, Long> pids = Map.of("stunnel4, TLS 1.3", stunnel.pid(), "QSP tunnel", qsp.pid());
                Map<String, List<Double>> cpu = new LinkedHashMap<>();
                for (String p : paths.keySet()) {
                    tput.put(p, new ArrayList<>());
                    rtt.put(p, new ArrayList<>());
                    cpu.put(p, new ArrayList<>());
                    // warm-up: each tunnel's first handshake, and the JIT: a Java tunnel's AES-GCM reaches its
                    // C2-compiled, intrinsic form only after some hundred MiB (cold, it costs several times the
                    // CPU), later on a loaded machine whose compiler threads wait for a core. So, as JMH warms a
                    // benchmark to its steady state: transfers of the measured size until the tunnel process's CPU
                    // per transfer stops falling (two transfers in a row within 5% of the best so far), at least 4, at most 12.
                    Long pid = pids.get(p);
                    List<Double> warm = new ArrayList<>();
                    double best = Double.MAX_VALUE;
                    int flat = 0;
                    for (int w = 0; w < (pid == null ? 1 : 12); w++) {
                        double c0 = pid == null ? 0 : cpuSeconds(pid);
                        throughput(paths.get(p), mib);
                        if (pid == null) break;
                        double c = cpuSeconds(pid) - c0;
                        warm.add(c);
                        flat = c >= best * 0.95 ? flat + 1 : 0;
                        best = Math.min(best, c);
                        if (w >= 3 && flat >= 2) break;
                    }
                    if (pid != null) System.out.println("warm-up " + p + ": " + warm.size() + " transfers, CPU s each " + warm);
                    latency(paths.get(p), trips);
                }
                for (int r = 0; r < rounds; r++) {
                    for (var e : paths.entrySet()) {
                        Long pid = pids.get(e.getKey());
                        double c0 = pid == null ? 0 : cpuSeconds(pid);
                        tput.get(e.getKey()).add(throughput(e.getValue(), mib));
                        if (pid != null) cpu.get(e.getKey()).add(cpuSeconds(pid) - c0);
                        rtt.get(e.getKey()).add(latency(e.getValue(), trips));
                    }
                }
                System.out.println();
                System.out.println("| Path | Throughput (" + mib + " MiB) | × stunnel | × direct | 64-byte round trip | × stunnel | × direct |");
                System.out.println("|---|---:|---:|---:|---:|---:|---:|");
                double st = median(tput.get("stunnel4, TLS 1.3"));
                double dt = median(tput.get("direct TCP"));
                double sl = median(rtt.get("stunnel4, TLS 1.3"));
                double dl = median(rtt.get("direct TCP"));
                for (String p : paths.keySet()) {
                    double t = median(tput.get(p));
                    double l = median(rtt.get(p));
                    System.out.printf("| %s | %,.0f MiB/s | %.2f | %.2f | %.1f µs | %.2f | %.2f |%n", p, t, t / st, t / dt, l, l / sl, l / dl);
                }
                System.out.println();
                System.out.println("rounds: " + rounds + "; throughput MiB/s per round: " + tput + "; round trip µs (median of "
                        + trips + ") per round: " + rtt);
                double sc = median(cpu.get("stunnel4, TLS 1.3"));
                double qc = median(cpu.get("QSP tunnel"));
                System.out.printf("tunnel process CPU per %d MiB (median): stunnel4 %.2f s, QSP %.2f s (%.2fx stunnel's); per round: %s%n",
                        mib, sc, qc, qc / sc, cpu);
                double qt = median(tput.get("QSP tunnel"));
                double ql = median(rtt.get("QSP tunnel"));
                System.out.printf("target throughput >= 1.0x stunnel: %.2fx, %s%n", qt / st, qt >= st ? "met" : "missed by " + pct(1 - qt / st));
                System.out.printf("target latency <= 1.0x stunnel: %.2fx, %s%n", ql / sl, ql <= sl ? "met" : "missed by " + pct(ql / sl - 1));
                System.out.println("load average at the end: " + Files.readString(Path.of("/proc/loadavg")).strip());
            } finally {
                qsp.getOutputStream().close();
                if (!qsp.waitFor(20, TimeUnit.SECONDS)) qsp.destroyForcibly();
                stunnel.destroy();
                stunnel.waitFor(10, TimeUnit.SECONDS);
            }
        }
        service.close();
    }

    /** User + system CPU of a process so far, from /proc (Linux clock ticks, USER_HZ = 100). */
    private static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    }

    private static String pct(double f) { return String.format("%.0f%%", f * 100); }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /** The service: first byte 'S' is a sink (answers the byte count after the FIN), 'E' an echo. */
    private static void serveForever(ServerSocket ss) {
        while (true) {
            Socket s;
            try {
                s = ss.accept();
            } catch (IOException e) {
                return;
            }
            Thread.ofPlatform().daemon().start(() -> {
                try (s) {
                    s.setTcpNoDelay(true);
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    int kind = in.read();
                    byte[] buf = new byte[64 * 1024];
                    if (kind == 'S') {
                        long n = 0;
                        for (int k; (k = in.read(buf)) >= 0; ) n += k;
                        new DataOutputStream(out).writeLong(n);
                    } else if (kind == 'E') {
                        for (int k; (k = in.read(buf)) >= 0; ) out.write(buf, 0, k);
                    }
                } catch (IOException ignored) {
                    // the client went away
                }
            });
        }
    }

    /** MiB/s for {@code mib} MiB in 64 KiB writes, from the first write until the sink's count arrives. */
    private static double throughput(int port, int mib) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 0x5a);
            long total = (long) mib << 20;
            long t0 = System.nanoTime();
            out.write('S');
            for (long sent = 0; sent < total; sent += chunk.length) out.write(chunk);
            s.shutdownOutput();
            long got = new DataInputStream(s.getInputStream()).readLong();
            long t1 = System.nanoTime();
            if (got != total) throw new IOException("the sink counted " + got + " bytes of " + total);
            return mib / ((t1 - t0) / 1e9);
        }
    }

    /** Median µs of {@code trips} 64-byte round trips to the echo, after 200 unmeasured ones. */
    private static double latency(int port, int trips) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write('E');
            byte[] msg = new byte[64];
            byte[] back = new byte[64];
            long[] t = new long[trips];
            for (int i = -200; i < trips; i++) {
                msg[0] = (byte) i;
                long t0 = System.nanoTime();
                out.write(msg);
                in.readFully(back);
                if (back[0] != msg[0]) throw new IOException("the echo returned other bytes");
                if (i >= 0) t[i] = System.nanoTime() - t0;
            }
            Arrays.sort(t);
            return t[trips / 2] / 1000.0;
        }
    }

    private static int stunnelClientPort;

    /** stunnel4 with a server and a client service (TLS 1.3 only), a self-signed ECDSA P-256 cert made now. */
    private static Process startStunnel(Path dir, int servicePort) throws Exception {
        Path cert = dir.resolve("stunnel.pem");
        Path key = dir.resolve("stunnel.key");
        run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-subj", "/CN=localhost", "-days", "2", "-keyout", key.toString(), "-out", cert.toString()));
        int serverPort = freePort();
        stunnelClientPort = freePort();
        Path conf = dir.resolve("stunnel.conf");
        Files.writeString(conf, String.join("\n",
                "foreground = yes",
                "pid =",
                "debug = 3",
                "output = " + dir.resolve("stunnel.log"),
                "[bench-server]",
                "accept = 127.0.0.1:" + serverPort,
                "connect = 127.0.0.1:" + servicePort,
                "cert = " + cert,
                "key = " + key,
                "sslVersionMin = TLSv1.3",
                "socket = l:TCP_NODELAY=1",
                "socket = r:TCP_NODELAY=1",
                "[bench-client]",
                "client = yes",
                "accept = 127.0.0.1:" + stunnelClientPort,
                "connect = 127.0.0.1:" + serverPort,
                "sslVersionMin = TLSv1.3",
                "verifyPeer = yes",
                "CAfile = " + cert,
                "checkHost = localhost",
                "socket = l:TCP_NODELAY=1",
                "socket = r:TCP_NODELAY=1",
                ""));
        return new ProcessBuilder("stunnel4", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stunnel.stdout").toFile()).start();
    }

    private static String stunnelVersion() throws Exception {
        Process p = new ProcessBuilder("stunnel4", "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().filter(l -> l.startsWith("stunnel ") || l.startsWith("Compiled with") || l.startsWith("Running  with"))
                .map(String::strip).reduce((a, b) -> a + "; " + b).orElse("?");
    }

    private static void run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(cmd.getFirst() + " failed: " + out.strip());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits (polling, a benchmark's start-up only) until stunnel listens on {@code port}. */
    private static void awaitListening(int port) throws Exception {
        for (int i = 0; i < 200; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IOException("stunnel4 is not listening on " + port);
    }

    private static Process startJvm(String jar, Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar));
        // e.g. -Dbench.tunnelJvmArgs=-XX:StartFlightRecording=... to profile the QSP tunnels' JVM
        String extra = System.getProperty("bench.tunnelJvmArgs", "").strip();
        if (!extra.isEmpty()) cmd.addAll(List.of(extra.split("\\s+")));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
