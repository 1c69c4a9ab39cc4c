package dev.qsp.bench.loopback;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time of this JVM's JIT compiler threads (the tasks named {@code C1 CompilerThre…} / {@code C2 CompilerThre…}
 * in {@code /proc/self/task}), read exactly through each thread's CPU clock ({@link ProcessCpu#threadNanos}). On a
 * loaded 2-core machine the compiler keeps working long into a run (in one run, 20% of the process's CPU during the
 * measured rounds), and its CPU would be billed to whichever stack happens to be running; the harness subtracts it.
 * The fork runs with {@code -XX:-UseDynamicNumberOfCompilerThreads}, so the compiler threads found at start are
 * all there will be. {@link #available()} is false without {@code /proc} or the clocks; nothing is subtracted then.
 */
final class JitCpu {
    private static final int[] TIDS = compilerThreads();

    private JitCpu() {
    }

    private static int[] compilerThreads() {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks) || !ProcessCpu.exact()) {
            return new int[0];
        }
        List<Integer> tids = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path t : dir) {
                try {
                    String name = Files.readString(t.resolve("comm"));
                    if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                        tids.add(Integer.parseInt(t.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // the task ended while being read: not a compiler thread (those never end, see above)
                }
            }
        } catch (IOException e) {
            return new int[0];
        }
        return tids.stream().mapToInt(Integer::intValue).toArray();
    }

    static boolean available() {
        return TIDS.length > 0;
    }

    static int threads() {
        return TIDS.length;
    }

    /** The compiler threads' CPU time so far (0 if not {@link #available()}). */
    static long nanos() {
        long sum = 0;
        for (int tid : TIDS) {
            sum += ProcessCpu.threadNanos(tid);
        }
        return sum;
    }
}
