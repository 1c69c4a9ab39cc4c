package dev.qsp.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.qkd.QkdKeySource;
import dev.qsp.kme.KmePair;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A KME that accepts TCP and never answers stalls only the fresh rekey that asked it (SPEC.md §4.15, §6.1, §6.2):
 * the key-source call runs as a delegated task on a thread of its own, so the shared idle-rekey timer goes on
 * rekeying another context's idle connection and the QKD connection itself keeps echoing in its current epoch.
 * Asserted through counters (rekeys completed, requests held by the KME), not elapsed time.
 */
class SlowKmeTest {
    @TempDir
    Path dir;

    @Test
    void aSilentKmeStallsNeitherTheTimerNorTheQkdConnectionsData() throws Exception {
        TestIdentities ids = TestIdentities.get();
        try (KmePair kmes = KmePair.start(); SilentKme kmeB = new SilentKme(kmes.kmeB().port())) {
            KmePair.Material m = kmes.writeMaterial(dir);
            String pw = new String(kmes.pki().password());
            QkdKeySource clientQkd = QkdKeySource.fromProperties(qkd(kmes.kmeA().baseUri().toString(), KmePair.SAE_A,
                    KmePair.SAE_B, m.saeAKeyStore(), m.trustStore(), pw));
            QkdKeySource serverQkd = QkdKeySource.fromProperties(qkd("https://127.0.0.1:" + kmeB.port(), KmePair.SAE_B,
                    KmePair.SAE_A, m.saeBKeyStore(), m.trustStore(), pw));
            QspContext qkdServer = ids.serverContext().keySources(serverQkd)
                    .rekeyInterval(Duration.ofMillis(400)).freshRekeys(true).build();
            QspContext otherServer = ids.serverContext().rekeyInterval(Duration.ofMillis(100)).build();

            try (Loopback qkdLo = Loopback.qsp(qkdServer); Loopback otherLo = Loopback.qsp(otherServer)) {
                CompletableFuture<QspSocket> qkdAccepted = new CompletableFuture<>();
                qkdLo.acceptOne(s -> {
                    qkdAccepted.complete((QspSocket) s);
                    return Loopback.echo(s);
                });
                CompletableFuture<QspSocket> otherAccepted = new CompletableFuture<>();
                otherLo.acceptOne(s -> {
                    otherAccepted.complete((QspSocket) s);
                    return s.getInputStream().read(); // idle; reading takes in the rekey answers
                });
                try (QspSocket qkd = qkdLo.connect(ids.clientContext().keySources(clientQkd).build());
                     QspSocket other = otherLo.connect(ids.clientContext().build())) {
                    qkd.startHandshake();
                    other.startHandshake();
                    otherLo.run(() -> other.getInputStream().read()); // idle client, reading
                    QspSocket qkdServerSide = Loopback.await(qkdAccepted);
                    QspSocket otherServerSide = Loopback.await(otherAccepted);

                    // From now on the server's KME takes every request and never answers; the next timer-driven
                    // fresh rekey of the QKD connection blocks in its enc_keys call.
                    kmeB.silence();
                    assertTrue(kmeB.held.await(60, TimeUnit.SECONDS), "the fresh rekey reached the silent KME");
                    // Touching the QKD connection must not wait for the KME either (a guard of 60 s, not a timing).
                    long qkdRekeys = Loopback.await(qkdLo.run(() -> qkdServerSide.getSession().rekeyCount()));

                    // The other context's idle connection is rekeyed by the same timer meanwhile...
                    long before = otherServerSide.getSession().rekeyCount();
                    awaitAtLeast(() -> rekeys(otherServerSide), before + 3, "idle rekeys of the other context");
                    // ...and the QKD connection's data flows in its current epoch.
                    qkd.setSoTimeout(30_000);
                    for (int i = 0; i < 3; i++) {
                        qkd.getOutputStream().write(40 + i);
                        assertEquals(40 + i, qkd.getInputStream().read());
                    }
                    assertEquals(0, kmeB.answered(), "the KME still has not answered");
                    assertEquals(qkdRekeys, qkdServerSide.getSession().rekeyCount(), "the fresh rekey still waits");
                    assertEquals(qkdRekeys, qkd.getSession().rekeyCount());
                }
            }
        }
    }

    private static long rekeys(QspSocket s) {
        try {
            return s.getSession().rekeyCount();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Polls a counter until it reaches {@code target}; fails after 30 s (a guard, not a timing assumption). */
    private static void awaitAtLeast(LongSupplier counter, long target, String what) {
        long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long v;
        while ((v = counter.getAsLong()) < target) {
            assertTrue(System.nanoTime() - guard < 0, what + ": " + v + ", expected " + target);
            LockSupport.parkNanos(10_000_000L);
        }
    }

    private static Properties qkd(String url, String sae, String peer, Path keyStore, Path trustStore, String pw) {
        Properties p = new Properties();
        p.setProperty("qsp.qkd.kme.url", url);
        p.setProperty("qsp.qkd.sae.id", sae);
        p.setProperty("qsp.qkd.peer.sae.id", peer);
        p.setProperty("qsp.qkd.keystore", keyStore.toString());
        p.setProperty("qsp.qkd.keystore.password", pw);
        p.setProperty("qsp.qkd.truststore", trustStore.toString());
        p.setProperty("qsp.qkd.truststore.password", pw);
        p.setProperty("qsp.qkd.policy", "PREFER");
        p.setProperty("qsp.qkd.request.timeout.ms", "300000"); // the silence outlasts the test
        p.setProperty("qsp.qkd.connect.timeout.ms", "60000"); // a loaded machine must not look like an outage
        p.setProperty("qsp.qkd.max.attempts", "1");
        return p;
    }

    /**
     * A TCP relay in front of a real KME that can fall silent: from {@link #silence()} on it accepts connections
     * and takes bytes but relays nothing either way, on new and already open (pooled) connections alike.
     */
    static final class SilentKme implements AutoCloseable {
        final CountDownLatch held = new CountDownLatch(1);
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final int target;
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private volatile boolean silent;
        private volatile long answeredWhileSilent;

        SilentKme(int target) throws IOException {
            this.target = target;
            Thread.ofVirtual().name("silent-kme").start(this::acceptLoop);
        }

        int port() { return server.getLocalPort(); }

        void silence() { silent = true; }

        /** Bytes relayed from the KME to a client since {@link #silence()}. */
        long answered() { return answeredWhileSilent; }

        private void acceptLoop() {
            try {
                while (true) {
                    Socket c = server.accept();
                    open.add(c);
                    if (silent) {
                        held.countDown(); // accepted and held: never answered
                        continue;
                    }
                    Socket k = new Socket(InetAddress.getLoopbackAddress(), target);
                    open.add(k);
                    Thread.ofVirtual().start(() -> relay(c, k, true));
                    Thread.ofVirtual().start(() -> relay(k, c, false));
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void relay(Socket from, Socket to, boolean request) {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (silent) {
                        if (request) held.countDown(); // a request on a pooled connection: held
                        else answeredWhileSilent += n;
                        continue; // dropped: the KME's side never sees it / the client never gets it
                    }
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : open) s.close();
        }
    }
}
