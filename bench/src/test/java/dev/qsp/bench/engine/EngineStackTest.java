package dev.qsp.bench.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The engine benchmarks measure real work: each in-process stack completes a full in-memory handshake, charges
 * CPU time to both sides, and carries every record size the benchmark uses byte-exactly counted. (BCJSSE runs only
 * in the Bouncy Castle 1.84 JVM, not in the test class path.)
 */
class EngineStackTest {
    @ParameterizedTest
    @ValueSource(strings = {"qsp", "sunjsse"})
    void handshakeAndRecords(String name) throws Exception {
        try (EngineStack stack = EngineStack.of(name)) {
            EngineStack.SideCosts costs = new EngineStack.SideCosts();
            EngineStack.Session session = stack.handshake(costs);
            assertTrue(costs.clientNanos > 0, "client CPU charged");
            assertTrue(costs.serverNanos > 0, "server CPU charged");
            for (int size : new int[] {16384, 1024, 64}) {
                byte[] data = new byte[size];
                for (int i = 0; i < 3; i++) {
                    assertEquals(size, session.transfer(data, size));
                }
            }
            long before = costs.clientNanos;
            stack.handshake(costs);
            assertTrue(costs.clientNanos > before, "a second handshake adds to the same counters");
        }
    }

    @Test
    void unknownStack() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EngineStack.of("tls12"));
        assertEquals("unknown engine stack 'tls12' (expected qsp, sunjsse or bcjsse)", e.getMessage());
    }
}
