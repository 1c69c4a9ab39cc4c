package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspError;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Server-led rekey (SPEC.md §4.10): both kinds, triggers, data in flight across the switch, limits. */
class RekeyTest {

    private static byte[] data(int n, int salt) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + salt);
        return b;
    }

    @ParameterizedTest
    @EnumSource(RekeyKind.class)
    void serverRekeyWithDataInFlightBothWays(RekeyKind kind) throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "rekey-" + kind);
        assertNull(p.client.lastRekeyKind(), "epoch 0 came from the handshake");
        byte[] c1 = data(40_000, 1);
        byte[] s1 = data(30_000, 2);
        p.client.writeApplicationData(c1, 0, c1.length, 0);
        assertTrue(p.server.requestRekey(kind, 0));
        assertFalse(p.server.requestRekey(kind, 0), "one rekey in flight at a time");
        p.server.writeApplicationData(s1, 0, s1.length, 0);
        p.pump();
        assertNull(p.clientError);
        assertNull(p.serverError);
        assertArrayEquals(c1, p.serverReceived.toByteArray());
        assertArrayEquals(s1, p.clientReceived.toByteArray());
        assertEquals(1, p.client.epoch());
        assertEquals(1, p.server.epoch());
        assertEquals(1, p.client.sendEpoch());
        assertEquals(1, p.client.receiveEpoch());
        assertEquals(1, p.server.sendEpoch());
        assertEquals(1, p.server.receiveEpoch());
        assertEquals(1, p.client.rekeyCount());
        assertEquals(1, p.server.rekeyCount());
        assertFalse(p.server.isRekeyInFlight());
        assertFalse(p.client.isRekeyInFlight());
        assertEquals(kind, p.client.lastRekeyKind());
        assertEquals(kind, p.server.lastRekeyKind());
    }

    @Test
    void clientRequestedRekey() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "request");
        assertTrue(p.client.requestRekey(RekeyKind.FRESH, 0));
        assertFalse(p.client.requestRekey(RekeyKind.FRESH, 0), "a request is already outstanding");
        p.pump();
        assertEquals(1, p.client.rekeyCount());
        assertEquals(1, p.server.rekeyCount());
        assertEquals(RekeyKind.FRESH, p.server.lastRekeyKind());
        assertTrue(p.client.requestRekey(RekeyKind.RATCHET, 0), "answered, so the client may ask again");
        p.now = 1_000_000_000L; // the server honours requests at least 1 s apart
        p.pump();
        assertNull(p.serverError);
        assertEquals(RekeyKind.RATCHET, p.client.lastRekeyKind());
        assertEquals(RekeyKind.RATCHET, p.server.lastRekeyKind());
    }

    @Test
    void recordTriggerFiresAtTheExactRecord() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(),
                Fixtures.server().rekeyPolicy(RekeyPolicy.DEFAULT.withRecordLimit(10)), "records");
        byte[] one = {42};
        for (int i = 0; i < 9; i++) p.server.writeApplicationData(one, 0, 1, 0);
        assertFalse(p.server.isRekeyInFlight());
        p.server.writeApplicationData(one, 0, 1, 0);
        assertTrue(p.server.isRekeyInFlight(), "the 10th record of the epoch starts the rekey");
        p.pump();
        assertEquals(1, p.server.rekeyCount());
        // The client's sending direction is covered by the server's receive counter.
        for (int i = 0; i < 10; i++) p.client.writeApplicationData(one, 0, 1, 0);
        p.pump();
        assertEquals(2, p.server.rekeyCount());
        assertEquals(2, p.client.rekeyCount());
    }

    @Test
    void byteAndTimeTriggers() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server().rekeyPolicy(
                RekeyPolicy.DEFAULT.withByteLimit(100_000).withTimeLimitNanos(5_000_000_000L).withAutomaticKind(RekeyKind.FRESH)), "bytes");
        byte[] d = data(99_999, 3);
        p.client.writeApplicationData(d, 0, d.length, 0);
        p.pump();
        assertEquals(0, p.server.rekeyCount());
        p.client.writeApplicationData(d, 0, 1, 0);
        p.pump();
        assertEquals(1, p.server.rekeyCount());
        p.now = 4_999_999_999L;
        p.server.tick(p.now);
        assertFalse(p.server.isRekeyInFlight());
        p.now = 5_000_000_000L;
        p.server.tick(p.now);
        assertTrue(p.server.isRekeyInFlight());
        p.pump();
        assertEquals(2, p.client.rekeyCount());
    }

    @Test
    void hardLimitRefusesToSend() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client().rekeyPolicy(RekeyPolicy.DEFAULT.withHardRecordLimit(5)),
                Fixtures.server(), "hard");
        byte[] one = {1};
        for (int i = 0; i < 5; i++) p.client.writeApplicationData(one, 0, 1, 0);
        p.pump();
        assertEquals(5, p.serverReceived.size(), "the five records before the limit arrived");
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.qsp.sockets.QspProtocolException.class,
                () -> p.client.writeApplicationData(one, 0, 1, 0));
        assertEquals(QspError.LIMIT_REACHED, e.error());
        assertTrue(p.client.isClosed());
        p.pump();
        assertEquals(QspError.LIMIT_REACHED, p.serverError.error());
        assertTrue(p.serverError.isRemote());
    }

    /**
     * 1 GiB through the pair, 768 MiB client to server and 256 MiB back, with 1,024 rekeys alternating ratchet
     * and fresh, each started while data is in flight; every byte is compared with what was sent.
     */
    @Test
    void oneGibWithThousandRekeysEveryByteChecked() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "gib");
        byte[] pattern = new byte[(1 << 20) + 65_536];
        new SeededRandom("pattern").nextBytes(pattern);
        int rounds = 1024;
        int c2sPerRound = 768 * 1024;
        int s2cPerRound = 256 * 1024;
        long[] received = new long[2]; // [0] at server, [1] at client
        p.appSink = (atClient, b, off, len) -> {
            int side = atClient ? 1 : 0;
            long pos = received[side];
            int perRound = atClient ? s2cPerRound : c2sPerRound;
            int done = 0;
            while (done < len) {
                int round = (int) (pos / perRound);
                int inRound = (int) (pos % perRound);
                int n = Math.min(len - done, perRound - inRound);
                int base = (round * 7919 + (atClient ? 13 : 0)) % 65_536 + inRound;
                if (Arrays.mismatch(b, off + done, off + done + n, pattern, base, base + n) != -1) {
                    throw new AssertionError("byte mismatch at " + (atClient ? "client" : "server") + " offset " + pos);
                }
                pos += n;
                done += n;
            }
            received[side] = pos;
        };
        for (int r = 0; r < rounds; r++) {
            int cBase = (r * 7919) % 65_536;
            int sBase = (r * 7919 + 13) % 65_536;
            p.client.writeApplicationData(pattern, cBase, c2sPerRound / 2, p.now);
            p.server.writeApplicationData(pattern, sBase, s2cPerRound / 2, p.now);
            assertTrue(p.server.requestRekey(r % 2 == 0 ? RekeyKind.RATCHET : RekeyKind.FRESH, p.now));
            p.client.writeApplicationData(pattern, cBase + c2sPerRound / 2, c2sPerRound / 2, p.now);
            p.server.writeApplicationData(pattern, sBase + s2cPerRound / 2, s2cPerRound / 2, p.now);
            p.pump();
            if (p.clientError != null) throw new AssertionError(p.clientError);
            if (p.serverError != null) throw new AssertionError(p.serverError);
        }
        assertEquals((long) rounds * c2sPerRound, received[0]);
        assertEquals((long) rounds * s2cPerRound, received[1]);
        assertEquals(1L << 30, received[0] + received[1]);
        assertEquals(rounds, p.server.rekeyCount());
        assertEquals(rounds, p.client.rekeyCount());
        assertEquals(rounds, p.client.epoch());
    }

    @Test
    void epochZeroFrameReplayedAfterRekeyIsWrongEpoch() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "replay-epoch");
        byte[] d = {7, 7, 7};
        p.client.writeApplicationData(d, 0, 3, 0);
        byte[] epoch0Frame = EnginePair.drainAll(p.client);
        p.deliver(p.server, true, epoch0Frame, 0, epoch0Frame.length);
        p.server.requestRekey(RekeyKind.RATCHET, 0);
        p.pump();
        assertEquals(1, p.server.receiveEpoch());
        p.deliver(p.server, true, epoch0Frame, 0, epoch0Frame.length);
        assertEquals(QspError.UNEXPECTED_EPOCH, p.serverError.error());
        assertArrayEquals(d, p.serverReceived.toByteArray());
    }

    @Test
    void secondInitWhileRekeyInFlightIsRefused() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "storm-init");
        p.server.requestRekey(RekeyKind.RATCHET, 0);
        // A misbehaving server sends a second REKEY_INIT before committing the first.
        p.server.insecureSendRekeyPlaintext(new RekeyMessage.Init(RekeyKind.RATCHET, 2, java.util.List.of()).encode());
        byte[] both = EnginePair.drainAll(p.server);
        p.deliver(p.client, false, both, 0, both.length);
        assertEquals(QspError.REKEY_IN_PROGRESS, p.clientError.error());
        assertTrue(p.client.isClosed());
        p.pump();
        assertEquals(QspError.REKEY_IN_PROGRESS, p.serverError.error());
        assertTrue(p.serverError.isRemote());
    }

    @Test
    void requestStormIsRefused() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "storm-request");
        byte[] req = new RekeyMessage.Request(RekeyKind.RATCHET).encode();
        for (int i = 0; i < 3; i++) p.client.insecureSendRekeyPlaintext(req);
        byte[] frames = EnginePair.drainAll(p.client);
        p.deliver(p.server, true, frames, 0, frames.length);
        assertEquals(QspError.REKEY_REFUSED, p.serverError.error());
        assertTrue(p.server.isClosed());
    }

    @Test
    void requestsFasterThanTheMinimumIntervalAreRefused() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "rate");
        p.client.requestRekey(RekeyKind.RATCHET, 0);
        p.pump();
        assertEquals(1, p.server.rekeyCount());
        p.now = 999_999_999L;
        p.client.requestRekey(RekeyKind.RATCHET, p.now);
        p.pump();
        assertEquals(QspError.REKEY_REFUSED, p.serverError.error());
        assertEquals(QspError.REKEY_REFUSED, p.clientError.error());
    }

    @Test
    void ackWithoutInitAndCommitWithoutAckAreUnexpected() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "unexpected-ack");
        p.client.insecureSendRekeyPlaintext(new RekeyMessage.Ack(1, java.util.List.of()).encode());
        p.pump();
        assertEquals(QspError.UNEXPECTED_MESSAGE, p.serverError.error());
        EnginePair q = Fixtures.established(Fixtures.client(), Fixtures.server(), "unexpected-commit");
        q.server.insecureSendRekeyPlaintext(new RekeyMessage.Commit(1).encode());
        q.pump();
        assertEquals(QspError.UNEXPECTED_MESSAGE, q.clientError.error());
    }

    @Test
    void noDataLostAcrossManyRekeysWithSmallWrites() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(),
                Fixtures.server().rekeyPolicy(RekeyPolicy.DEFAULT.withRecordLimit(3).withAutomaticKind(RekeyKind.FRESH)), "small");
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int i = 0; i < 200; i++) {
            byte[] d = data(1 + i % 50, i);
            sent.write(d);
            if (i % 2 == 0) p.client.writeApplicationData(d, 0, d.length, 0);
            else p.server.writeApplicationData(d, 0, d.length, 0);
            p.pump();
        }
        p.pump();
        assertNull(p.clientError);
        assertNull(p.serverError);
        assertEquals(sent.size(), p.clientReceived.size() + p.serverReceived.size());
        // Writes alternate client, server, client, ...: in each epoch one direction reaches 3 records on the
        // fifth write (3 one way, 2 the other), so 200 writes give exactly 40 rekeys.
        assertEquals(40, p.server.rekeyCount());
        assertEquals(40, p.client.rekeyCount());
    }
}
