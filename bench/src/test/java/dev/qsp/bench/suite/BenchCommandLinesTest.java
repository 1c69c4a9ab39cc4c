package dev.qsp.bench.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.bench.engine.RekeyLoop;
import dev.qsp.bench.fuzz.FuzzMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The command lines of ./qsp bench (BenchSuite), ./qsp bench rekey (RekeyLoop) and ./qsp fuzz (FuzzMain), in
 * process (issue 12 item 6): --help exits 0 with the usage, a bad option or value is one line and exit status 2,
 * and nothing runs.
 */
class BenchCommandLinesTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    private final PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

    private String err() {
        String s = err.toString(StandardCharsets.UTF_8);
        err.reset();
        return s;
    }

    private String out() {
        String s = out.toString(StandardCharsets.UTF_8);
        out.reset();
        return s;
    }

    @Test
    void benchSuite() {
        assertEquals(2, BenchSuite.run(new String[] {"--bogus"}, o, e));
        assertEquals("qsp bench: Unknown option: '--bogus' (see --help)\n", err());
        assertEquals(2, BenchSuite.run(new String[] {"--out"}, o, e));
        assertEquals("qsp bench: Missing required parameter for option '--out' (DIR) (see --help)\n", err());
        assertEquals("", out());
        assertEquals(0, BenchSuite.run(new String[] {"--help"}, o, e));
        assertTrue(out().startsWith("Usage: qsp bench [-h] [--quick] [--out=DIR]\n"));
        assertEquals("", err());
    }

    @Test
    void rekeyLoop() {
        assertEquals(2, RekeyLoop.run(new String[] {"--loops", "many"}, o, e));
        assertEquals("qsp bench rekey: Invalid value for option '--loops': 'many' is not an int (see --help)\n", err());
        assertEquals(2, RekeyLoop.run(new String[] {"--loops", "0"}, o, e));
        assertEquals("qsp bench rekey: --loops must be at least 1, not 0 (see --help)\n", err());
        assertEquals(2, RekeyLoop.run(new String[] {"--warmup", "-1"}, o, e));
        assertEquals("qsp bench rekey: --warmup must not be negative: -1 (see --help)\n", err());
        assertEquals(2, RekeyLoop.run(new String[] {"--kind", "sideways"}, o, e));
        assertEquals("qsp bench rekey: Invalid value for option '--kind': expected one of [RATCHET, FRESH] "
                + "(case-insensitive) but was 'sideways' (see --help)\n", err());
        assertEquals("", out());
        assertEquals(0, RekeyLoop.run(new String[] {"-h"}, o, e));
        assertTrue(out().startsWith("Usage: qsp bench rekey [-h] [--kind=ratchet|fresh] [--loops=N] [--warmup=N]\n"));
    }

    @Test
    void rekeyLoopRunsWithLowercaseKind() {
        assertEquals(0, RekeyLoop.run(new String[] {"--loops", "3", "--warmup", "0", "--kind", "fresh"}, o, e));
        String s = out();
        assertTrue(s.startsWith("loops=3\nwarmup=0\nelapsed_sec="), s);
        assertTrue(s.endsWith("final_epoch=3\n"), s);
    }

    @Test
    void fuzzMain() {
        assertEquals(2, FuzzMain.run(new String[] {"--cases"}, o, e));
        assertEquals("qsp fuzz: Missing required parameter for option '--cases' (N) (see --help)\n", err());
        assertEquals(2, FuzzMain.run(new String[] {"--mutate-prob", "2"}, o, e));
        assertEquals("qsp fuzz: --mutate-prob must be between 0 and 1, not 2.0 (see --help)\n", err());
        assertEquals(2, FuzzMain.run(new String[] {"--seed", "x"}, o, e));
        assertEquals("qsp fuzz: Invalid value for option '--seed': 'x' is not a long (see --help)\n", err());
        assertEquals(2, FuzzMain.run(new String[] {"--bogus"}, o, e));
        assertEquals("qsp fuzz: Unknown option: '--bogus' (see --help)\n", err());
        assertEquals("", out());
        assertEquals(0, FuzzMain.run(new String[] {"--help"}, o, e));
        assertTrue(out().startsWith("Usage: qsp fuzz [-h] [--case=N] [--cases=N] [--mutate-prob=P] [--seed=N]\n"));
    }
}
