package dev.qsp.bench.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * One transport stack's client and server engines wired together in memory, with no socket: the rustls-style
 * way of measuring what a protocol costs in CPU, which a loaded machine moves far less than loopback figures.
 * Everything runs on the calling thread; each side's calls are timed with that thread's CPU clock, so the
 * handshake cost splits into what the client and what the server spent.
 */
public interface EngineStack extends AutoCloseable {
    /**
     * A stack by name: {@code qsp}, {@code sunjsse}, or {@code bcjsse} (only in the Bouncy Castle 1.84 JVM).
     *
     * @param name the stack's name
     * @return the stack, configured (its identity made)
     * @throws IllegalArgumentException if no stack has that name
     * @throws Exception                if the stack cannot be configured
     */
    static EngineStack of(String name) throws Exception {
        return switch (name) {
            case "qsp" -> new QspEngines();
            case "sunjsse" -> JsseEngines.sunJsse();
            case "bcjsse" -> JsseEngines.bcJsse();
            default -> throw new IllegalArgumentException("unknown engine stack '" + name
                    + "' (expected qsp, sunjsse or bcjsse)");
        };
    }

    /**
     * Runs one full handshake between a new client and a new server engine and returns the established pair;
     * adds the CPU time each side spent to {@code costs}.
     *
     * @param costs where the client's and the server's CPU time are added
     * @return the established pair
     * @throws Exception if the handshake fails
     */
    Session handshake(SideCosts costs) throws Exception;

    /** An established pair. */
    interface Session {
        /**
         * The client seals {@code len} bytes of {@code data} (one record where the stack's record size allows) and
         * the server opens them and reads the plaintext; returns the number of plaintext bytes the server read
         * (always {@code len}).
         *
         * @param data the plaintext to send, from index 0
         * @param len  how many bytes of {@code data} to send
         * @return the number of plaintext bytes the server read
         * @throws Exception if sealing or opening fails
         */
        int transfer(byte[] data, int len) throws Exception;
    }

    @Override
    default void close() throws Exception {
    }

    /** CPU nanoseconds spent by each side, accumulated over handshakes. */
    final class SideCosts {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        /** CPU nanoseconds the client engines spent. */
        public long clientNanos;
        /** CPU nanoseconds the server engines spent. */
        public long serverNanos;

        /** Costs at zero. */
        public SideCosts() {
        }

        /** {@return the current thread's CPU time in nanoseconds} */
        public static long cpu() {
            return THREADS.getCurrentThreadCpuTime();
        }

        /** Sets both costs back to zero. */
        public void reset() {
            clientNanos = 0;
            serverNanos = 0;
        }
    }
}
