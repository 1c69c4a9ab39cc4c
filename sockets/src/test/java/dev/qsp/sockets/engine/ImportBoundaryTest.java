package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine package is sans-I/O (SPEC.md §4.1, STYLE.md): no sockets, channels, stream I/O, threads or clocks.
 * Checked twice: in the sources (imports and qualified uses, comments stripped) and in the compiled classes'
 * constant pools (which also catch anything a source trick would hide).
 */
class ImportBoundaryTest {
    /** Forbidden in sources: java.net, channels, I/O streams and files, threads, executors, clocks. */
    static final Pattern SOURCE_FORBIDDEN = Pattern.compile(
            "java\\.net\\.|java\\.nio\\.channels|java\\.nio\\.file|java\\.io\\.(?!ByteArrayInputStream\\b|IOException\\b|Serial\\b)\\w*"
                    + "|\\bThread\\b|java\\.util\\.concurrent|System\\.nanoTime|System\\.currentTimeMillis|java\\.time\\.|\\bInstant\\.now|\\bClock\\b");

    /** Forbidden in class files (internal names). */
    static final List<String> CLASS_FORBIDDEN = List.of("java/net/", "java/nio/channels/", "java/nio/file/",
            "java/io/InputStream", "java/io/OutputStream", "java/io/File", "java/io/Reader", "java/io/Writer",
            "java/lang/Thread", "java/util/concurrent/", "nanoTime", "currentTimeMillis", "java/time/");

    /**
     * The one exception: CertificateFactory only parses from an InputStream, so PeerAuthenticator hands it the
     * received DER in a ByteArrayInputStream (in memory, no I/O).
     */
    static final java.util.Map<String, List<String>> ALLOWED = java.util.Map.of(
            "PeerAuthenticator.class", List.of("java/io/InputStream"));

    static final Path SOURCES = Path.of("src/main/java/dev/qsp/sockets/engine");
    static final Path CLASSES = Path.of("target/classes/dev/qsp/sockets/engine");

    static String stripComments(String src) {
        return src.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
    }

    static List<String> sourceViolations(String name, String src) {
        List<String> v = new ArrayList<>();
        var m = SOURCE_FORBIDDEN.matcher(stripComments(src));
        while (m.find()) v.add(name + ": " + m.group());
        return v;
    }

    @Test
    void engineSourcesDoNotUseIoThreadsOrClocks() throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> s = Files.list(SOURCES)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".java")).toList()) {
                files++;
                violations.addAll(sourceViolations(p.getFileName().toString(), Files.readString(p)));
            }
        }
        assertTrue(files >= 20, "expected the engine sources, found " + files + " files in " + SOURCES.toAbsolutePath());
        assertEquals(List.of(), violations);
    }

    @Test
    void engineClassFilesReferenceNoIoThreadsOrClocks() throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> s = Files.list(CLASSES)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".class")).toList()) {
                files++;
                String pool = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                String name = p.getFileName().toString();
                String scrubbed = pool.replace("java/io/ByteArrayInputStream", "");
                for (String f : CLASS_FORBIDDEN) {
                    if (scrubbed.contains(f) && !ALLOWED.getOrDefault(name, List.of()).contains(f)) violations.add(name + ": " + f);
                }
            }
        }
        assertTrue(files >= 20, "expected the engine classes, found " + files);
        assertEquals(List.of(), violations);
    }

    @Test
    void theCheckerCatchesWhatItMustAndAllowsWhatItMay() {
        assertFalse(sourceViolations("x", "import java.net.Socket;").isEmpty());
        assertFalse(sourceViolations("x", "import java.io.InputStream;").isEmpty());
        assertFalse(sourceViolations("x", "long t = System.nanoTime();").isEmpty());
        assertFalse(sourceViolations("x", "new Thread(r).start();").isEmpty());
        assertFalse(sourceViolations("x", "java.nio.channels.SocketChannel c;").isEmpty());
        assertTrue(sourceViolations("x", "import java.io.IOException; // java.net.Socket in a comment").isEmpty());
        assertTrue(sourceViolations("x", "import java.io.ByteArrayInputStream;").isEmpty());
    }
}
