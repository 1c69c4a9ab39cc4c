package dev.qsp.sockets;

import static dev.qsp.sockets.Loopback.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.engine.RekeyKind;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A server's rekey interval applies to idle connections too (SPEC.md §6.2): the shared idle-rekey timer starts
 * the rekey although neither side sends application data.
 */
class IdleRekeyTest {

    @Test
    void idleConnectionIsRekeyedWhenItsIntervalPasses() throws Exception {
        TestIdentities ids = TestIdentities.get();
        QspContext server = ids.serverContext().rekeyInterval(Duration.ofMillis(100)).build();
        try (Loopback lo = Loopback.qsp(server)) {
            Future<QspSession> accepted = lo.acceptOne(s -> {
                QspSocket q = (QspSocket) s;
                assertEquals(1, q.getInputStream().read(), "idle in read until the client has seen the rekey");
                return q.getSession();
            });
            try (QspSocket c = lo.connect(ids.clientContext().build())) {
                c.startHandshake();
                assertEquals(0, c.getSession().rekeyCount());
                // Short read timeouts let this reader take in the rekey frames while no application data flows.
                c.setSoTimeout(50);
                InputStream in = c.getInputStream();
                for (int reads = 0; c.getSession().rekeyCount() == 0; reads++) {
                    assertTrue(reads < 400, "the idle connection was not rekeyed within 20 s");
                    assertThrows(SocketTimeoutException.class, in::read, "only rekey frames arrive");
                }
                assertEquals(RekeyKind.RATCHET, c.getSession().lastRekeyKind());
                c.getOutputStream().write(1);
            }
            QspSession s = await(accepted);
            assertTrue(s.rekeyCount() >= 1, s.toString());
        }
    }
}
