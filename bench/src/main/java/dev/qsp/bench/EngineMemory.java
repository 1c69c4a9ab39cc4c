package dev.qsp.bench;

import java.util.ArrayList;
import java.util.List;

import dev.qsp.bench.engine.EngineStack;

/**
 * Memory per established session pair of in-memory engines: establishes {@code count} client/server pairs of one
 * stack, keeps them, and reports the growth of the heap used after full GCs divided by {@code count}. Both
 * engines of a pair count (no socket, no thread, no buffer of the benchmark's own per pair). Twenty pairs are
 * made and dropped first so that class loading and caches count in the baseline.
 * <p>
 * Usage: {@code EngineMemory <stack> [count]}; prints {@code session_pair_bytes=<n>}. Run it in a JVM of its own.
 */
public final class EngineMemory {
    private EngineMemory() {
    }

    public static void main(String[] args) throws Exception {
        String stack = args[0];
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        try (EngineStack engines = EngineStack.of(stack)) {
            open(engines, 20).clear();
            long before = IdleMemory.heapAfterGc();
            List<EngineStack.Session> sessions = open(engines, count);
            long after = IdleMemory.heapAfterGc();
            System.out.println("stack=" + stack);
            System.out.println("pairs=" + sessions.size());
            System.out.println("session_pair_bytes=" + (after - before) / count);
        }
    }

    private static List<EngineStack.Session> open(EngineStack engines, int n) throws Exception {
        EngineStack.SideCosts ignored = new EngineStack.SideCosts();
        List<EngineStack.Session> sessions = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sessions.add(engines.handshake(ignored));
        }
        return sessions;
    }
}
