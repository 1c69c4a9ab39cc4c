package dev.qsp.bench.engine;

import java.util.Locale;

import dev.qsp.sockets.engine.RekeyKind;

/**
 * {@code ./qsp bench rekey --loops 2000 --warmup 50 [--kind ratchet|fresh]}: the seed's rekey measurement,
 * made over full REKEY_INIT / REKEY_ACK / REKEY_COMMIT exchanges between an in-memory client and server engine.
 * Prints the seed's lines ({@code loops=}, {@code warmup=}, {@code elapsed_sec=}, {@code ops_per_sec=},
 * {@code final_epoch=}), exactly those, one per line. A quick single-run figure: at the seed's setting the JIT has
 * not compiled the hot path yet; {@code RekeyBench} is the steady-state JMH figure.
 */
public final class RekeyLoop {
    private RekeyLoop() {
    }

    public static void main(String[] args) throws Exception {
        int loops = 2000;
        int warmup = 50;
        RekeyKind kind = RekeyKind.RATCHET;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--loops" -> loops = positive(args, ++i, "--loops");
                case "--warmup" -> warmup = nonNegative(args, ++i, "--warmup");
                case "--kind" -> kind = kind(args, ++i);
                default -> usage("unknown option " + args[i]);
            }
        }
        EnginePair pair = EnginePair.establish(BenchIdentity.create("rekey-loop"), "rekey-loop", false);
        for (int i = 0; i < warmup; i++) {
            pair.rekey(kind);
        }
        long start = System.nanoTime();
        for (int i = 0; i < loops; i++) {
            pair.rekey(kind);
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.println("loops=" + loops);
        System.out.println("warmup=" + warmup);
        System.out.println(String.format(Locale.ROOT, "elapsed_sec=%.6f", elapsed));
        System.out.println(String.format(Locale.ROOT, "ops_per_sec=%.1f", loops / elapsed));
        System.out.println("final_epoch=" + pair.server.epoch());
    }

    private static RekeyKind kind(String[] args, int i) {
        if (i >= args.length) {
            usage("--kind needs ratchet or fresh");
        }
        return switch (args[i]) {
            case "ratchet" -> RekeyKind.RATCHET;
            case "fresh" -> RekeyKind.FRESH;
            default -> throw usage("--kind must be ratchet or fresh, not " + args[i]);
        };
    }

    private static int positive(String[] args, int i, String name) {
        int v = nonNegative(args, i, name);
        if (v == 0) {
            usage(name + " must be at least 1");
        }
        return v;
    }

    private static int nonNegative(String[] args, int i, String name) {
        if (i >= args.length) {
            usage(name + " needs a number");
        }
        try {
            int v = Integer.parseInt(args[i]);
            if (v < 0) {
                usage(name + " must not be negative: " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw usage(name + " needs a whole number, not " + args[i]);
        }
    }

    private static IllegalArgumentException usage(String problem) {
        System.err.println("qsp bench rekey: " + problem);
        System.err.println("usage: ./qsp bench rekey [--loops N] [--warmup N] [--kind ratchet|fresh]");
        System.exit(2);
        return new IllegalArgumentException(problem);
    }
}
