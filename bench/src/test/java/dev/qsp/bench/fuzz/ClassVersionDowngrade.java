package dev.qsp.bench.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Copies class directories for a coverage-guided Jazzer run, marking each class file as Java 21 (major 65).
 * Jazzer 0.24.0 (the last release) instruments through an ASM that rejects Java 25 class files (major 69) with
 * "Unsupported class file major version 69", which leaves the fuzzer without coverage feedback. javac 25 emits
 * no class-file feature newer than Java 21 for this code, and references to JDK 25 APIs are symbolic, so the
 * relabelled classes run unchanged on JDK 25 and can be instrumented. Used only by the {@code jazzer-fuzz}
 * profile of bench/pom.xml ({@code JAZZER_FUZZ=1}); regression runs in {@code ./qsp test} use the real classes.
 * <p>
 * Usage: {@code ClassVersionDowngrade OUT_DIR NAME=CLASS_DIR ...} (copies CLASS_DIR to OUT_DIR/NAME).
 */
public final class ClassVersionDowngrade {
    static final int TARGET_MAJOR = 65;

    private ClassVersionDowngrade() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            Path src = Path.of(args[i].substring(eq + 1));
            Path dst = out.resolve(args[i].substring(0, eq));
            if (!Files.isDirectory(src)) {
                throw new IOException(src + " is not a directory: build with -am so that the reactor's classes exist");
            }
            copy(src, dst);
        }
    }

    private static void copy(Path src, Path dst) throws IOException {
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path t = dst.resolve(src.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else if (f.toString().endsWith(".class")) {
                    Files.write(t, relabel(Files.readAllBytes(f)));
                } else {
                    Files.copy(f, t, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static byte[] relabel(byte[] c) throws IOException {
        if (c.length < 8 || (c[0] & 0xFF) != 0xCA || (c[1] & 0xFF) != 0xFE || (c[2] & 0xFF) != 0xBA
                || (c[3] & 0xFF) != 0xBE) {
            throw new IOException("not a class file");
        }
        int major = ((c[6] & 0xFF) << 8) | (c[7] & 0xFF);
        if (major > TARGET_MAJOR) {
            c[4] = 0;
            c[5] = 0;
            c[6] = (byte) (TARGET_MAJOR >>> 8);
            c[7] = (byte) TARGET_MAJOR;
        }
        return c;
    }
}
