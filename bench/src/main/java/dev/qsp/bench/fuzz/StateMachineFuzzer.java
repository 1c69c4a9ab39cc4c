package dev.qsp.bench.fuzz;

import java.util.SplittableRandom;

import dev.qsp.bench.engine.BenchIdentity;

/**
 * The state-machine fuzzer over an in-memory engine pair (issue 6; the seed's fuzzer made real). Each case is a
 * sequence of {@code steps} random actions — application data both ways, rekeys of both kinds (server-led and
 * client-requested), time passing, half-closes, frame deliveries in random batches — on a connection; with
 * probability {@code mutateProb} a step is instead a fault: a flipped bit in a queued frame, a dropped,
 * replayed, reordered or injected frame (and with a quarter of that probability a new connection's handshake
 * gets a flipped bit or random bytes instead of one of its frames). A fault ends its connection (the protocol must close it); the case
 * then continues on a new connection. After every step it checks that every delivered byte is one the peer
 * wrote, at its offset, and that epochs and sequence numbers are consistent; when a connection ends, that a
 * fault produced exactly the predicted explicit close on both sides, and that without a fault every byte
 * arrived and both sides closed cleanly. Everything derives from the seed, so a failure repeats.
 */
public final class StateMachineFuzzer {
    /**
     * What to run. {@code onlyCase} &lt; 0 runs cases 0..cases-1, else only that one.
     *
     * @param cases      the number of cases (at least 1)
     * @param steps      the actions per case (at least 1)
     * @param seed       the run's seed; each case's random stream derives from it and the case's index
     * @param mutateProb the probability, within [0, 1], that a step is a fault
     * @param onlyCase   the one case to run (below {@code cases}), or a negative number for all of them
     */
    public record Settings(int cases, int steps, long seed, double mutateProb, int onlyCase) {
        /**
         * Checks the settings.
         *
         * @throws IllegalArgumentException saying which setting is out of range
         */
        public Settings {
            if (cases < 1 || steps < 1) {
                throw new IllegalArgumentException("cases and steps must be at least 1");
            }
            if (!(mutateProb >= 0 && mutateProb <= 1)) {
                throw new IllegalArgumentException("mutate probability must be within [0, 1], not " + mutateProb);
            }
            if (onlyCase >= cases) {
                throw new IllegalArgumentException("case " + onlyCase + " is not below --cases " + cases);
            }
        }
    }

    /**
     * Totals of a run that passed.
     *
     * @param connections the connections made, handshakes included that a fault broke
     * @param faults      the faults injected
     * @param rekeys      the server-led rekeys started
     * @param appBytes    the application bytes delivered, both directions together
     */
    public record Summary(long connections, long faults, long rekeys, long appBytes) {
    }

    private final BenchIdentity identity = BenchIdentity.create("fuzz");

    /** A fuzzer with its server identity made (deterministically, from the seed {@code "fuzz"}). */
    public StateMachineFuzzer() {
    }

    /**
     * Runs the cases.
     *
     * @param s what to run
     * @return the run's totals, if every property held
     * @throws FuzzFailure at the first property that did not hold, with the seed, case and step that reproduce it
     */
    public Summary run(Settings s) {
        long connections = 0;
        long faults = 0;
        long rekeys = 0;
        long bytes = 0;
        int first = s.onlyCase() < 0 ? 0 : s.onlyCase();
        int last = s.onlyCase() < 0 ? s.cases() - 1 : s.onlyCase();
        for (int c = first; c <= last; c++) {
            SplittableRandom rnd = new SplittableRandom(s.seed() * 0x9E3779B97F4A7C15L + c);
            int connIndex = 0;
            int step = 0;
            FuzzConnection conn = null;
            int afterFault = -1;
            try {
                conn = new FuzzConnection(identity, s.seed() + ":" + c + ":" + connIndex++, rnd);
                connections++;
                for (; step < s.steps(); step++) {
                    if (conn.isOver() || afterFault == 0) {
                        conn.finish();
                        rekeys += conn.rekeys;
                        bytes += conn.c2s.delivered + conn.s2c.delivered;
                        boolean faultHandshake = rnd.nextDouble() < s.mutateProb() / 4;
                        conn = new FuzzConnection(identity, s.seed() + ":" + c + ":" + connIndex++, rnd,
                                faultHandshake);
                        connections++;
                        afterFault = faultHandshake ? 0 : -1;
                        if (faultHandshake) {
                            faults++;
                            continue;
                        }
                    }
                    if (!conn.faulted && rnd.nextDouble() < s.mutateProb()) {
                        conn.fault();
                        faults++;
                        afterFault = rnd.nextInt(6);
                    } else {
                        conn.step();
                        if (afterFault > 0) {
                            afterFault--;
                        }
                    }
                    conn.checkInvariants();
                }
                conn.finish();
                rekeys += conn.rekeys;
                bytes += conn.c2s.delivered + conn.s2c.delivered;
            } catch (AssertionError | RuntimeException e) {
                throw new FuzzFailure(s.seed(), c, step, (e instanceof AssertionError ? "" : e.getClass().getName()
                        + ": ") + e.getMessage() + (conn == null ? "" : "\nlast actions of the connection:\n  "
                        + conn.recentActions()), e);
            }
        }
        return new Summary(connections, faults, rekeys, bytes);
    }
}
