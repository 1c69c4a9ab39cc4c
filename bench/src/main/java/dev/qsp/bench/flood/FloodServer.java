package dev.qsp.bench.flood;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.atomic.AtomicInteger;

import dev.qsp.bench.net.KeyTool;
import dev.qsp.sockets.QspContext;
import dev.qsp.sockets.QspSocket;

/**
 * The server JVM of {@code ./qsp bench flood}: a thread-per-connection echo server (a virtual thread per accepted
 * connection, as a user of {@code QspServerSocket} would write it) on 127.0.0.1, either QSP from the
 * {@code dev.qsp.*} system properties plus the given key store, or plain TCP ({@code --plain}, the baseline for
 * "the socket itself"). Commands on stdin, one line each: {@code heap} prints {@code heap=<bytes used after GC>
 * open=<connections being served> refused=<admission refusals> failed=<connections ended with an error>}.
 * Prints {@code port=<n>} once listening.
 * <p>
 * Usage: {@code FloodServer --plain | FloodServer <keystore.p12>}
 */
public final class FloodServer {
    private FloodServer() {
    }

    public static void main(String[] args) throws Exception {
        boolean plain = args[0].equals("--plain");
        ServerSocket server;
        QspContext ctx = null;
        if (plain) {
            server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        } else {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
                ks.load(in, KeyTool.PASSWORD);
            }
            ctx = QspContext.builder()
                    .identity(ks, KeyTool.PASSWORD, KeyTool.ALIAS)
                    .maxHandshakes(Integer.getInteger("dev.qsp.server.maxHandshakes", 1024))
                    .maxHandshakesPerAddress(Integer.getInteger("dev.qsp.server.maxHandshakesPerAddress", 64))
                    .helloTimeout(java.time.Duration.ofSeconds(Long.getLong("flood.helloTimeoutSeconds", 5)))
                    .handshakeTimeout(java.time.Duration.ofSeconds(Long.getLong("flood.handshakeTimeoutSeconds", 30)))
                    .build();
            server = ctx.getServerSocketFactory().createServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        }
        AtomicInteger open = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Thread.ofPlatform().name("flood-accept").start(() -> {
            while (true) {
                Socket s;
                try {
                    s = server.accept();
                } catch (Exception e) {
                    System.out.println("accept-error=" + e);
                    continue;
                }
                open.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(s, open, failed));
            }
        });
        System.out.println("port=" + server.getLocalPort());
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = commands.readLine()) != null) {
            if (line.equals("heap")) {
                long refused = ctx == null ? 0 : ctx.admissionGate().rejectedTotal();
                System.out.println("heap=" + heapAfterGc() + " open=" + open.get() + " refused=" + refused
                        + " failed=" + failed.get());
            }
        }
        System.exit(0); // the driver closed our stdin: it is done
    }

    private static void serve(Socket s, AtomicInteger open, AtomicInteger failed) {
        try (s) {
            byte[] buf = new byte[512]; // before the handshake: both stacks' silent connections hold it
            if (s instanceof QspSocket q) {
                q.startHandshake();
            }
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (Exception e) {
            failed.incrementAndGet();
        } finally {
            open.decrementAndGet();
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100); // lets the Cleaner and reference processing finish between collections
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
