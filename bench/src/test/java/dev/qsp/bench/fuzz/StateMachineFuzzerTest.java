package dev.qsp.bench.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A short run of the state-machine fuzzer (the long one is {@code ./qsp fuzz --cases 300 --steps 2000 --seed 1}).
 * Fixed seeds: the same connections, actions and faults on every run.
 */
class StateMachineFuzzerTest {
    @Test
    void shortRunWithFaultsPasses() {
        StateMachineFuzzer.Summary s =
                new StateMachineFuzzer().run(new StateMachineFuzzer.Settings(20, 200, 1, 0.15, -1));
        assertTrue(s.faults() > 100, "faults injected: " + s.faults());
        assertTrue(s.connections() > s.faults(), "a new connection after each fault");
        assertTrue(s.rekeys() > 0, "rekeys: " + s.rekeys());
    }

    @Test
    void longConnectionsWithoutFaultsDeliverEverything() {
        StateMachineFuzzer.Summary s =
                new StateMachineFuzzer().run(new StateMachineFuzzer.Settings(3, 1000, 7, 0.0, -1));
        assertEquals(0, s.faults());
        assertTrue(s.rekeys() >= 50, "rekeys: " + s.rekeys());
        assertTrue(s.appBytes() > 1_000_000, "application bytes: " + s.appBytes());
    }

    @Test
    void aRunRepeatsFromItsSeed() {
        StateMachineFuzzer.Settings settings = new StateMachineFuzzer.Settings(4, 150, 42, 0.2, -1);
        assertEquals(new StateMachineFuzzer().run(settings), new StateMachineFuzzer().run(settings));
    }
}
