package dev.qsp.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.qsp.bench.engine.BenchIdentity;
import dev.qsp.bench.engine.EnginePair;
import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;

/**
 * The fuzzer's oracle against the real engine: for each kind of forged frame the error {@link Link#predict}
 * names is the one the engine reports (SPEC.md §4.3 and §4.9 check order).
 */
class LinkOracleTest {
    private static final BenchIdentity ID = BenchIdentity.create("oracle");

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "unknown type, 9, 0, 0, 32, UNKNOWN_FRAME_TYPE",
        "oversized length, 2, 0, 0, 16401, RECORD_OVERFLOW",
        "future epoch, 2, 1, 0, 32, UNEXPECTED_EPOCH",
        "skipped sequence number, 2, 0, 1, 32, UNEXPECTED_SEQUENCE",
        "forged payload, 2, 0, 0, 32, BAD_RECORD_MAC",
        "shorter than a tag, 3, 0, 0, 5, BAD_RECORD_MAC",
    })
    void predictionMatchesTheEngine(String name, int type, int epoch, long seq, int length, QspError error)
            throws Exception {
        EnginePair pair = EnginePair.establish(ID, "oracle-" + name, true);
        Link l = new Link("server->client", pair.server, pair.client);
        byte[] f = java.util.Arrays.copyOf(Frame.header(type, epoch, seq, length),
                Frame.HEADER + Math.min(length, 64));
        l.predict(f);
        assertEquals(Set.of(error), l.expected);
        QspProtocolException e = assertThrows(QspProtocolException.class,
                () -> pair.client.receive(f, 0, f.length, 0));
        assertEquals(error, e.error());
        assertFalse(e.isRemote());
    }

    @ParameterizedTest(name = "length {0} claimed, payload shorter")
    @CsvSource({"200", "1000"})
    void aFrameClaimingMoreThanItCarriesMayEndTruncated(int length) throws Exception {
        EnginePair pair = EnginePair.establish(ID, "oracle-long", true);
        Link l = new Link("server->client", pair.server, pair.client);
        byte[] f = java.util.Arrays.copyOf(Frame.header(2, 0, 0, length), Frame.HEADER + 40);
        l.predict(f);
        assertEquals(EnumSet.of(QspError.BAD_RECORD_MAC, QspError.TRUNCATED), l.expected);
        pair.client.receive(f, 0, f.length, 0);
        assertTrue(pair.client.failure().isEmpty(), "waits for the rest of the frame");
        assertEquals(QspError.TRUNCATED,
                assertThrows(QspProtocolException.class, pair.client::receiveEndOfStream).error());
    }
}
