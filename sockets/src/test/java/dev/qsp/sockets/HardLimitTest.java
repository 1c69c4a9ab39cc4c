package dev.qsp.sockets;

import static dev.qsp.sockets.Loopback.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
