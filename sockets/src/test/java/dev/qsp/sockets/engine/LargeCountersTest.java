package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Epochs and sequence numbers far from 0 through real engines (SPEC.md §4.3, §4.9, §4.10): a frame of epoch
 * 0x01020304 and seq 0x0102030405060708 carries exactly those header bytes and opens at the peer (whose nonce is
 * built from its own counters); the end of the epoch space and of the sequence space are refused with
 * LIMIT_REACHED. The engines reach these values through the package-private jump hooks and a real rekey.
 */
class LargeCountersTest {

    /** An established pair whose next rekey, a real ratchet, leads both ends to {@code epoch}. */
    private static EnginePair atEpoch(int epoch, String seed) throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), seed);
        p.client.jumpEpochForTest(epoch - 1);
        p.server.jumpEpochForTest(epoch - 1);
        assertTrue(p.server.requestRekey(RekeyKind.RATCHET, 0));
        p.pump();
        assertNull(p.clientError);
        assertNull(p.serverError);
        assertEquals(epoch, p.client.sendEpoch());
        assertEquals(epoch, p.server.receiveEpoch());
        return p;
    }

    @Test
    void headerOfEpoch01020304AndSeq0102030405060708() throws Exception {
        EnginePair p = atEpoch(0x01020304, "large-header");
        p.client.jumpSequencesForTest(0x0102030405060708L, 0);
        p.server.jumpSequencesForTest(0, 0x0102030405060708L);
        List<byte[]> seen = new ArrayList<>();
        p.interceptor = (fromClient, index, frame) -> {
            if (fromClient) seen.add(frame.clone());
            return List.of(frame);
        };
        // APP_DATA stops at the hard record limit (2^23 + ...): control frames go on up to the sequence space, so
        // the CLOSE is the frame that carries seq 0x0102030405060708.
        p.client.closeOutbound();
        p.pump();
        assertNull(p.serverError);
        assertTrue(p.server.isInboundClosed(), "the CLOSE opened at the server");
        assertEquals(1, seen.size());
        assertEquals(String.format("%02x", FrameType.CLOSE.wire()) + "01020304" + "0102030405060708",
                HexFormat.of().formatHex(seen.getFirst(), 0, 13));
        assertEquals(0x0102030405060709L, p.server.receiveSequence());
    }

    @Test
    void appDataAtALargeSequenceBelowTheHardLimit() throws Exception {
        EnginePair p = atEpoch(0x01020304, "large-app");
        long seq = 0x010203L; // u64 bytes 5..7 nonzero, below the hard record limit
        p.client.jumpSequencesForTest(seq, 0);
        p.server.jumpSequencesForTest(0, seq);
        List<byte[]> seen = new ArrayList<>();
        p.interceptor = (fromClient, index, frame) -> {
            if (fromClient) seen.add(frame.clone());
            return List.of(frame);
        };
        byte[] hello = "high".getBytes(StandardCharsets.US_ASCII);
        p.client.writeApplicationData(hello, 0, hello.length, 0);
        p.pump();
        assertNull(p.serverError);
        assertArrayEquals(hello, p.serverReceived.toByteArray());
        assertEquals("02" + "01020304" + "0000000000010203" + "0014", HexFormat.of().formatHex(seen.getFirst(), 0, Frames.HEADER_LENGTH));
        assertEquals(seq + 1, p.server.receiveSequence());
    }

    @Test
    void lastEpochCannotBeRekeyedAgain() throws Exception {
        EnginePair p = atEpoch(0xFFFFFFFE, "epoch-end");
        assertTrue(p.server.requestRekey(RekeyKind.RATCHET, 0));
        p.pump();
        assertEquals(0xFFFFFFFF, p.server.sendEpoch(), "the last epoch is still usable");
        assertEquals(0xFFFFFFFF, p.client.receiveEpoch());
        byte[] d = {5};
        p.server.writeApplicationData(d, 0, 1, 0);
        p.pump();
        assertArrayEquals(d, p.clientReceived.toByteArray());
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> p.server.requestRekey(RekeyKind.RATCHET, 0));
        assertEquals("LIMIT_REACHED: epoch space exhausted: no further rekey possible", e.getMessage());
    }

    @Test
    void lastSequenceNumberIsNeverUsed() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "seq-end");
        p.client.jumpSequencesForTest(0xFFFFFFFFFFFFFFFEL, 0);
        p.server.jumpSequencesForTest(0, 0xFFFFFFFFFFFFFFFEL);
        byte[] d = {7};
        p.client.writeApplicationData(d, 0, 1, 0);
        p.pump();
        assertArrayEquals(d, p.serverReceived.toByteArray(), "seq 2^64 - 2 is sent and opened");
        QspProtocolException e = assertThrows(QspProtocolException.class, () -> p.client.writeApplicationData(d, 0, 1, 0));
        assertEquals("LIMIT_REACHED: sequence number space exhausted", e.getMessage());
        assertTrue(p.client.isClosed());
    }

    @Test
    void initForTheWrongEpochAtLargeValuesNamesBoth() throws Exception {
        EnginePair p = Fixtures.established(Fixtures.client(), Fixtures.server(), "wrong-epoch");
        p.client.jumpEpochForTest(0x01020304);
        p.server.jumpEpochForTest(0x01020305);
        assertTrue(p.server.requestRekey(RekeyKind.RATCHET, 0));
        p.pump();
        assertEquals("ILLEGAL_PARAMETER: REKEY_INIT for epoch 16909062 in epoch 16909060", p.clientError.getMessage());
        assertEquals(QspError.ILLEGAL_PARAMETER, p.serverError.error());
    }
}
