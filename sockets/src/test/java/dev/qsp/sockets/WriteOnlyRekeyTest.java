package dev.qsp.sockets;

import static dev.qsp.sockets.Loopback.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rekeys continue when one side only writes and never reads (SPEC.md §6.1): a write also takes in the peer's
 * rekey frames that are already waiting on the socket. Without that, the writing side would never see a
 * REKEY_ACK (or REKEY_INIT) and no rekey could complete. Small TCP buffers keep the round trip short, so the
 * count of completed rekeys is well above the bound asserted: 32 MiB is 2048 frames, at most 32 rekeys of 64.
 */
class WriteOnlyRekeyTest {
    private static final int TOTAL = 32 * 1024 * 1024;
    private static final int SMALL_BUFFER = 64 * 1024;
    private static TestIdentities ids;

    @BeforeAll
    static void identities() throws Exception {
        ids = TestIdentities.get();
    }

    private static QspSocket connectSmall(Loopback lo) throws Exception {
        QspSocket c = (QspSocket) ids.clientContext().build().getSocketFactory().createSocket();
        c.setReceiveBufferSize(SMALL_BUFFER);
        c.setSendBufferSize(SMALL_BUFFER);
        c.connect(new java.net.InetSocketAddress("127.0.0.1", lo.port()));
        return c;
    }

    @Test
    void serverThatOnlyWritesKeepsRekeying() throws Exception {
        QspContext server = ids.serverContext().rekeyAfterRecords(64).build(); // a rekey per MiB
        try (Loopback lo = Loopback.qsp(server)) {
            Future<QspSession> writer = lo.acceptOne(s -> {
                QspSocket q = (QspSocket) s;
                q.setSendBufferSize(SMALL_BUFFER);
                OutputStream out = q.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                for (int sent = 0; sent < TOTAL; sent += chunk.length) out.write(chunk);
                QspSession session = q.getSession();
                q.close();
                return session;
            });
            try (QspSocket c = connectSmall(lo)) {
                InputStream in = c.getInputStream();
                byte[] buf = new byte[64 * 1024];
                long got = 0;
                int n;
                while ((n = in.read(buf)) >= 0) got += n;
                assertEquals(TOTAL, got);
            }
            QspSession s = await(writer);
            assertTrue(s.rekeyCount() >= 10, "server rekeys while only writing: " + s);
            assertEquals(dev.qsp.sockets.engine.RekeyKind.RATCHET, s.lastRekeyKind(), "the automatic kind");
        }
    }

    @Test
    void clientThatOnlyWritesAnswersTheServersRekeys() throws Exception {
        QspContext server = ids.serverContext().rekeyAfterRecords(64).build();
        try (Loopback lo = Loopback.qsp(server)) {
            Future<QspSession> reader = lo.acceptOne(s -> {
                QspSocket q = (QspSocket) s;
                q.setSendBufferSize(SMALL_BUFFER);
                InputStream in = q.getInputStream();
                byte[] buf = new byte[64 * 1024];
                long got = 0;
                int n;
                while ((n = in.read(buf)) >= 0) got += n;
                assertEquals(TOTAL, got);
                return q.getSession();
            });
            QspSession clientSession;
            try (QspSocket c = connectSmall(lo)) {
                OutputStream out = c.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                for (int sent = 0; sent < TOTAL; sent += chunk.length) out.write(chunk);
                clientSession = c.getSession();
            }
            QspSession s = await(reader);
            assertTrue(s.rekeyCount() >= 10, "server: " + s);
            assertTrue(clientSession.epoch() >= 10, "client answered the rekeys while only writing: " + clientSession);
        }
    }
}
