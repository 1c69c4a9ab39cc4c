package dev.qsp.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.KeySourceException;
import dev.qsp.keysources.kem.HybridKemSource;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Every failure keeps its cause (SPEC.md §6.3): a thread blocked in {@code read} when another thread fails the
 * connection, and one that enters {@code write} afterwards, get the QSP error with its code, never a bare
 * {@code SocketException: Socket closed}; and the CLOSE of an engine error reaches the peer also when a flush
 * held the wire at that moment. The failure is a fresh rekey whose key source fails on the server.
 */
class FailureCauseTest {
    private final TestIdentities ids;

    FailureCauseTest() throws Exception {
        ids = TestIdentities.get();
    }

    @Test
    void aReaderBlockedWhenAnotherThreadFailsTheConnectionGetsTheQspError() throws Exception {
        try (Loopback lo = Loopback.qsp(server())) {
            CompletableFuture<QspSocket> accepted = new CompletableFuture<>();
            CompletableFuture<Thread> reader = new CompletableFuture<>();
            Future<List<IOException>> serverSide = lo.acceptOne(s -> {
                accepted.complete((QspSocket) s);
                reader.complete(Thread.currentThread());
                IOException r = readFailure(s);
                // and a thread that enters write afterwards (before anyone closed the socket)
                IOException w = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> s.getOutputStream().write(1));
                return List.of(r, w);
            });
            try (QspSocket c = lo.connect(client())) {
                c.startHandshake();
                QspSocket s = Loopback.await(accepted);
                Thread t = Loopback.await(reader);
                awaitTrue(() -> inWireRead(t), "the server's reader blocks in a read from the wire");
                requestFreshRekey(s); // its key source fails on another thread
                List<IOException> e = Loopback.await(serverSide);
                assertQspError(e.get(0), QspError.KEY_SOURCE_FAILED);
                assertQspError(e.get(1), QspError.KEY_SOURCE_FAILED);
                // The client learns why from the server's CLOSE.
                QspProtocolException ce = org.junit.jupiter.api.Assertions.assertThrows(QspProtocolException.class,
                        () -> c.getInputStream().read());
                assertEquals(QspError.KEY_SOURCE_FAILED, ce.error(), ce.getMessage());
                assertTrue(ce.isRemote());
            }
        }
    }

    @Test
    void theCloseOfAnEngineErrorWaitsForAFlushInProgress() throws Exception {
        try (Loopback lo = Loopback.qsp(server())) {
            CompletableFuture<QspSocket> accepted = new CompletableFuture<>();
            lo.acceptOne(s -> {
                accepted.complete((QspSocket) s);
                return s.getInputStream().read();
            });
            try (QspSocket c = lo.connect(client())) {
                c.startHandshake();
                QspSocket s = Loopback.await(accepted);
                // Another thread holds the server's write lock, as a flusher writing rekey frames does.
                ReentrantLock wire = s.writeLockForTest();
                CountDownLatch held = new CountDownLatch(1);
                CountDownLatch release = new CountDownLatch(1);
                Thread flusher = Thread.ofVirtual().start(() -> {
                    wire.lock();
                    try {
                        held.countDown();
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        wire.unlock();
                    }
                });
                assertTrue(held.await(30, TimeUnit.SECONDS));
                requestFreshRekey(s);
                // The failing path waits for the wire (it does not give up on the CLOSE and close the socket).
                awaitTrue(() -> wire.hasQueuedThreads() || s.isClosed(), "the failing path reached the wire");
                assertFalse(s.isClosed(), "the socket was closed without waiting for the flush in progress");
                release.countDown();
                flusher.join();
                QspProtocolException ce = org.junit.jupiter.api.Assertions.assertThrows(QspProtocolException.class,
                        () -> c.getInputStream().read());
                assertEquals(QspError.KEY_SOURCE_FAILED, ce.error(), "the peer sees the reason, not TRUNCATED: " + ce);
                assertTrue(ce.isRemote());
            }
        }
    }

    private QspContext server() {
        return ids.serverContext().keySources(new FailsInFreshRekeys(true)).build();
    }

    private QspContext client() {
        return ids.clientContext().keySources(new FailsInFreshRekeys(false)).build();
    }

    private static void requestFreshRekey(QspSocket s) throws IOException {
        try {
            assertTrue(s.requestRekey(true));
        } catch (QspProtocolException e) {
            // a shell that runs key sources inline fails here, on this thread; the assertions below still apply
        }
    }

    private static IOException readFailure(java.net.Socket s) {
        try {
            int b = s.getInputStream().read();
            throw new AssertionError("read returned " + b);
        } catch (IOException e) {
            return e;
        }
    }

    /** The QSP error itself, or an IOException whose cause is it. */
    private static void assertQspError(IOException e, QspError code) {
        Throwable t = e;
        while (t != null && !(t instanceof QspProtocolException)) t = t.getCause();
        if (!(t instanceof QspProtocolException q)) throw new AssertionError("no QspProtocolException in " + e, e);
        assertEquals(code, q.error(), String.valueOf(e));
    }

    private static boolean inWireRead(Thread t) {
        return Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals("receiveOnce"))
                && Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().startsWith("read") && f.getClassName().contains("Socket"));
    }

    /** Polls a condition; fails after 30 s (a guard, not a timing assumption). */
    private static void awaitTrue(BooleanSupplier c, String what) {
        long guard = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!c.getAsBoolean()) {
            assertTrue(System.nanoTime() - guard < 0, what);
            LockSupport.parkNanos(5_000_000L);
        }
    }

    /**
     * A real key source (X-Wing, in the QKD slot so that it sits beside the session's KEM) that fails to initiate
     * on the side that is told to: the server only initiates in fresh rekeys, so the handshake succeeds.
     */
    static final class FailsInFreshRekeys implements KeySource {
        private final KeySource kem = HybridKemSource.xWing();
        private final boolean failInitiate;

        FailsInFreshRekeys(boolean failInitiate) {
            this.failInitiate = failInitiate;
        }

        @Override
        public String id() { return "test-fails-fresh"; }

        @Override
        public Slot slot() { return Slot.QKD; }

        @Override
        public Initiation initiate() throws KeySourceException {
            if (failInitiate) throw new KeySourceException("test source: down for fresh rekeys");
            return kem.initiate();
        }

        @Override
        public Response respond(byte[] offer) throws KeySourceException { return kem.respond(offer); }
    }
}
