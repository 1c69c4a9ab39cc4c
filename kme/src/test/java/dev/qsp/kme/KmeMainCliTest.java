package dev.qsp.kme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KmeMain's command line (issue 12 item 6): help, one-line errors with exit status 2, a start failure is exit 1. */
class KmeMainCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return KmeMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void missingDirectory() {
        assertEquals(2, run());
        assertEquals("KmeMain: Missing required parameter: 'DIRECTORY' (see --help)\n",
                err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unknownOptionAndExtraArgument() {
        assertEquals(2, run("--bogus", "dir"));
        assertEquals("KmeMain: Unknown option: '--bogus' (see --help)\n", err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, run("a", "b"));
        assertEquals("KmeMain: Unmatched argument at index 1: 'b' (see --help)\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void help() {
        assertEquals(0, run("--help"));
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.startsWith("Usage: KmeMain [-h] DIRECTORY\n"), s);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aDirectoryThatCannotBeMadeIsOneLineAndExitOne(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        assertEquals(1, run(file.resolve("sub").toString()));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("KmeMain: could not start the KME pair: "), e);
        assertEquals(1, e.lines().count(), e);
    }
}
