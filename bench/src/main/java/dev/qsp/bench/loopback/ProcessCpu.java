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
    /** struct timespec { time_t tv_sec; long tv_nsec; }, one per thread: read twice per batch, never allocated there. */
    private static final ThreadLocal<MemorySegment> TIMESPEC = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(16, 8));

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
            return clock(CLOCK_PROCESS_CPUTIME_ID);
        }
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Whether {@link #nanos} and {@link #threadNanos} read the exact clocks. */
    static boolean exact() {
        return CLOCK_GETTIME != null;
    }

    /**
     * CPU time of one thread of this process by its kernel thread id, through the thread's CPU clock: Linux's
     * {@code MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED)} = {@code (~tid << 3) | 4 | 2} (include/linux/posix-timers.h),
     * the clock {@code pthread_getcpuclockid} hands out. Requires {@link #exact()}.
     */
    static long threadNanos(int tid) {
        return clock((~tid << 3) | 6);
    }

    private static long clock(int id) {
        try {
            MemorySegment ts = TIMESPEC.get();
            int rc = (int) CLOCK_GETTIME.invokeExact(id, ts);
            if (rc != 0) {
                throw new IllegalStateException("clock_gettime(" + id + ") failed");
            }
            return ts.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + ts.get(ValueLayout.JAVA_LONG, 8);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("clock_gettime failed", t);
        }
    }
}
