package dev.qsp.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virtual threads blocked in QSP reads, writes and handshakes do not pin their carrier: the JDK's own
 * {@code jdk.VirtualThreadPinned} event, recorded with no threshold, never fires (SPEC.md §6.1). One exchange
 * runs first, outside the recording: a virtual thread that waits for another to finish initializing a class
 * is pinned by the JVM itself, once per class, whatever the code does.
 */
class VirtualThreadTest {
    private static final int CLIENTS = 16;

    @TempDir
    Path dir;

    @Test
    void blockedQspSocketsDoNotPinCarriers() throws Exception {
        TestIdentities ids = TestIdentities.get();
        QspContext clientCtx = ids.clientContext().build();
        Path jfr = dir.resolve("pinned.jfr");
        try (Loopback warm = Loopback.qsp(ids.serverContext().rekeyAfterRecords(2).build())) {
            Future<Long> echo = warm.acceptOne(Loopback::echo);
            try (Socket c = warm.connect(clientCtx)) {
                for (int i = 0; i < 4; i++) {
                    c.getOutputStream().write(new byte[] {1, 2, 3, 4});
                    c.getInputStream().readNBytes(4);
                }
            }
            assertEquals(16, Loopback.await(echo));
        }
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            try (Loopback lo = Loopback.qsp(ids.serverContext().rekeyAfterRecords(2).build());
                 ExecutorService virtual = Executors.newVirtualThreadPerTaskExecutor()) {
                CountDownLatch allReading = new CountDownLatch(CLIENTS);
                List<Future<Long>> servers = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    servers.add(lo.acceptOne(s -> {
                        s.getOutputStream().write(s.getInputStream().readNBytes(4));
                        // every client is now in (or about to enter) a blocking read; bounded, so that one failed
                        // client ends the test with its failure instead of leaving the others waiting forever
                        assertTrue(allReading.await(Loopback.TIMEOUT_SECONDS, TimeUnit.SECONDS), "all clients reading");
                        s.getOutputStream().write(new byte[] {1, 2, 3, 4});
                        return Loopback.echo(s);
                    }));
                }
                List<Future<Integer>> clients = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(virtual.submit(() -> {
                        try (Socket c = lo.connect(clientCtx)) {
                            c.getOutputStream().write(new byte[] {9, 9, 9, 9});
                            c.getInputStream().readNBytes(4);
                            allReading.countDown();
                            int sum = 0;
                            for (byte b : c.getInputStream().readNBytes(4)) sum += b;
                            return sum;
                        }
                    }));
                }
                for (Future<Integer> c : clients) assertEquals(10, c.get(Loopback.TIMEOUT_SECONDS, TimeUnit.SECONDS));
                for (Future<Long> s : servers) assertEquals(0L, Loopback.await(s));
            }
            recording.stop();
            recording.dump(jfr);
        }
        // Only pins while blocked inside QSP count: the JVM may also pin a virtual thread for reasons of its own
        // elsewhere (seen once, rarely, at this test's own CountDownLatch with no QSP frame on the stack).
        List<RecordedEvent> pinned = RecordingFile.readAllEvents(jfr).stream()
                .filter(VirtualThreadTest::insideQsp).toList();
        assertEquals(List.of(), pinned.stream().map(e -> (e.hasField("pinnedReason") ? e.getString("pinnedReason") + " " : "") + e.getStackTrace()).toList(),
                "virtual threads pinned while blocked");
    }

    /** True if a frame of the QSP socket code (not of this test or its loopback helper) is on the event's stack. */
    private static boolean insideQsp(RecordedEvent e) {
        return e.getStackTrace() != null && e.getStackTrace().getFrames().stream()
                .map(f -> f.getMethod().getType().getName())
                .anyMatch(n -> n.startsWith("dev.qsp.") && !n.startsWith(VirtualThreadTest.class.getName())
                        && !n.startsWith(Loopback.class.getName()));
    }
}
