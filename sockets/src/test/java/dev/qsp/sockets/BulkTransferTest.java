package dev.qsp.sockets;

import static dev.qsp.sockets.Loopback.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bulk transfer with rekeys of both kinds, every byte checked (SPEC.md §6.1, §4.10): the server ratchets by
 * its record trigger (every 256 records) and starts a fresh rekey (new hybrid KEM exchange) every 16 MiB it
 * echoes.
 */
class BulkTransferTest {
    private static final long TOTAL = 256L * 1024 * 1024;
    private static final long FRESH_EVERY = 16L * 1024 * 1024;
    private static TestIdentities ids;

    @BeforeAll
    static void identities() throws Exception {
        ids = TestIdentities.get();
    }

    @Test
    void echoes256MiBWithRatchetAndFreshRekeys() throws Exception {
        AtomicInteger freshStarted = new AtomicInteger();
        AtomicInteger freshStillDue = new AtomicInteger();
        QspContext server = ids.serverContext().rekeyAfterRecords(256).build(); // a ratchet per 4 MiB each way
        try (Loopback lo = Loopback.qsp(server)) {
            Future<Long> echoed = lo.acceptOne(s -> {
                QspSocket q = (QspSocket) s;
                InputStream in = q.getInputStream();
                OutputStream out = q.getOutputStream();
                byte[] buf = new byte[64 * 1024];
                long total = 0;
                long nextFresh = FRESH_EVERY / 2;
                boolean freshDue = false;
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    total += n;
                    if (total >= nextFresh) {
                        freshDue = true;
                        nextFresh += FRESH_EVERY;
                    }
                    // one rekey at a time (SPEC.md §4.10): if a ratchet is in flight, ask again after the next read
                    if (freshDue && q.requestRekey(true)) {
                        freshStarted.incrementAndGet();
                        freshDue = false;
                    }
                }
                if (freshDue) freshStillDue.incrementAndGet();
                return total;
            });
            try (QspSocket c = lo.connect(ids.clientContext().build())) {
                c.startHandshake();
                Future<byte[]> sentDigest = lo.run(() -> writeRandom(c, TOTAL));
                byte[] receivedDigest = readDigest(c, TOTAL);
                assertArrayEquals(await(sentDigest), receivedDigest, "SHA-256 of 256 MiB sent and echoed");
                c.shutdownOutput();
                assertEquals(-1, c.getInputStream().read());
                QspSession s = c.getSession();
                // the server started 16 fresh rekeys, 16 MiB apart; between two of them the record trigger (256
                // frames of 16 KiB, 4 MiB) fires about three times: ratchets are the rest, at least 16 of them
                assertTrue(s.rekeyCount() >= 16 + 16, s.toString());
                assertEquals(s.rekeyCount(), s.epoch(), "one epoch per rekey");
            }
            assertEquals(TOTAL, await(echoed));
            // 16 fall due, one per 16 MiB echoed; each starts at the first read where no ratchet is in flight.
            // The last falls due 8 MiB before the end: on a loaded machine a ratchet can stay in flight over
            // those reads (its ACK waits behind echoed data), so that one may still be waiting at end of stream
            assertEquals(16, freshStarted.get() + freshStillDue.get(), "fresh rekeys due, one per 16 MiB echoed");
        }
    }

    private static byte[] writeRandom(Socket s, long total) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        Random r = new Random(42);
        byte[] buf = new byte[256 * 1024];
        OutputStream out = s.getOutputStream();
        for (long sent = 0; sent < total; ) {
            int n = (int) Math.min(buf.length - r.nextInt(1024), total - sent); // uneven sizes
            r.nextBytes(buf);
            out.write(buf, 0, n);
            d.update(buf, 0, n);
            sent += n;
        }
        return d.digest();
    }

    private static byte[] readDigest(Socket s, long total) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[128 * 1024];
        InputStream in = s.getInputStream();
        long got = 0;
        while (got < total) {
            int n = in.read(buf);
            if (n < 0) throw new java.io.EOFException("end of stream after " + got + " bytes");
            d.update(buf, 0, n);
            got += n;
        }
        return d.digest();
    }
}
