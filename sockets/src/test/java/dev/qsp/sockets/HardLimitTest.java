package dev.qsp.sockets;

import static dev.qsp.sockets.Loopback.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.time.Duration;

import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * At the hard record limit a writer waits for the rekey to complete instead of failing with LIMIT_REACHED
 * (SPEC.md §6.1, §4.13): with a limit of 16 records per key, 4 MiB (256 frames) can only get through if the
 * writer, which never reads, takes in the peer's rekey answers and waits for them when it must.
 */
class HardLimitTest {
    @Test
    void writerAtTheHardLimitWaitsForTheRekey() throws Exception {
        TestIdentities ids = TestIdentities.get();
        byte[] data = QspSocketTest.pattern(7, 4 * 1024 * 1024);
        QspContext server = ids.serverContext().rekeyAfterRecords(4).hardRecordLimit(16).build();
        try (Loopback lo = Loopback.qsp(server)) {
            Future<QspSession> writer = lo.acceptOne(s -> {
                QspSocket q = (QspSocket) s;
                q.getOutputStream().write(data); // one call: 256 frames under keys that allow 16 each
                QspSession session = q.getSession();
                q.close();
                return session;
            });
            try (QspSocket c = lo.connect(ids.clientContext().hardRecordLimit(16).build())) {
                assertArrayEquals(data, c.getInputStream().readAllBytes());
            }
            QspSession s = await(writer);
            assertTrue(s.rekeyCount() >= 256 / 16, "at least one rekey per 16 frames: " + s);
        }
    }

    /**
     * A client that sent its CLOSE cannot answer a REKEY_INIT (SPEC.md §4.10), so a server writing to it reaches
     * the hard limit with no rekey possible: the write fails with LIMIT_REACHED and the client learns why from
     * the server's CLOSE, instead of the writer waiting forever. (The timeout only guards against that hang: a
     * spinning writer never closes, so the client's read would block for good.)
     */
    @Test
    void writerToAHalfClosedClientEndsWithLimitReached() throws Exception {
        TestIdentities ids = TestIdentities.get();
        assertTimeoutPreemptively(Duration.ofSeconds(Loopback.TIMEOUT_SECONDS), () -> halfClosedClient(ids));
    }

    private static void halfClosedClient(TestIdentities ids) throws Exception {
        QspContext server = ids.serverContext().rekeyAfterRecords(4).hardRecordLimit(16).build();
        try (Loopback lo = Loopback.qsp(server)) {
            Future<QspProtocolException> writer = lo.acceptOne(s -> {
                QspSocket q = (QspSocket) s;
                assertEquals(42, q.getInputStream().read());
                assertEquals(-1, q.getInputStream().read()); // the client's CLOSE: it takes no part in rekeys now
                OutputStream out = q.getOutputStream();
                byte[] chunk = new byte[16 * 1024];
                return assertThrows(QspProtocolException.class, () -> {
                    for (int i = 0; i < 1000; i++) out.write(chunk); // 1000 frames: far past 16 per key
                });
            });
            try (QspSocket c = lo.connect(ids.clientContext().build())) {
                c.getOutputStream().write(42);
                c.shutdownOutput();
                QspProtocolException e = assertThrows(QspProtocolException.class, () -> c.getInputStream().readAllBytes());
                assertEquals(QspError.LIMIT_REACHED, e.error());
                assertTrue(e.isRemote(), "the server's CLOSE says why: " + e);
            }
            QspProtocolException e = await(writer);
            assertEquals(QspError.LIMIT_REACHED, e.error());
            assertFalse(e.isRemote(), "the server's own limit: " + e);
        }
    }
}
