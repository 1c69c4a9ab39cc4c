package dev.qsp.bench.loopback;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;

/**
 * The process's CPU time (user + system, every thread, GC and JIT included) in nanoseconds. On Linux from
 * {@code clock_gettime(CLOCK_PROCESS_CPUTIME_ID)} through the FFM API: exact to the nanosecond, where
 * {@code OperatingSystemMXBean.getProcessCpuTime} counts 10 ms clock ticks (4% of a 250 ms slice). Elsewhere, or
 * without native access, the MXBean.
 */
final class ProcessCpu {
    private static final int CLOCK_PROCESS_CPUTIME_ID = 2; // Linux, <time.h>
    private static final MethodHandle CLOCK_GETTIME = clockGettime();

    private ProcessCpu() {
    }

    private static MethodHandle clockGettime() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            return linker.downcallHandle(linker.defaultLookup().find("clock_gettime").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        } catch (RuntimeException e) {
            return null; // no native access granted: fall back to the MXBean's ticks
        }
    }

    /** Where the figure comes from, for the report. */
    static String source() {
        return CLOCK_GETTIME != null ? "clock_gettime(CLOCK_PROCESS_CPUTIME_ID)"
                : "OperatingSystemMXBean.getProcessCpuTime (clock ticks)";
    }

    static long nanos() {
        if (CLOCK_GETTIME != null) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment ts = arena.allocate(16, 8); // struct timespec { time_t tv_sec; long tv_nsec; }
                int rc = (int) CLOCK_GETTIME.invokeExact(CLOCK_PROCESS_CPUTIME_ID, ts);
                if (rc == 0) {
                    return ts.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + ts.get(ValueLayout.JAVA_LONG, 8);
                }
            } catch (Throwable t) {
                throw new IllegalStateException("clock_gettime failed", t);
            }
        }
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
