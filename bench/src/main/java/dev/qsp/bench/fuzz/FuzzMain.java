package dev.qsp.bench.fuzz;

import java.util.Locale;

/**
 * {@code ./qsp fuzz --cases 300 --steps 2000 --seed 1 [--mutate-prob 0.15] [--case N]}: runs
 * {@link StateMachineFuzzer} and prints the seed's summary lines ({@code cases=}, {@code steps/case=},
 * {@code mutate_prob=}, {@code result=OK}) on standard output and the totals on standard error; on failure
 * {@code result=FAIL} followed by the seed, case and step, what failed, the last actions and the command that
 * reruns that case, with exit status 1.
 */
public final class FuzzMain {
    private FuzzMain() {
    }

    public static void main(String[] args) {
        int cases = 300;
        int steps = 2000;
        long seed = 1;
        double mutateProb = 0.15;
        int onlyCase = -1;
        try {
            for (int i = 0; i < args.length; i++) {
                String v = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--cases" -> cases = Integer.parseInt(need(v, args[i++]));
                    case "--steps" -> steps = Integer.parseInt(need(v, args[i++]));
                    case "--seed" -> seed = Long.parseLong(need(v, args[i++]));
                    case "--mutate-prob" -> mutateProb = Double.parseDouble(need(v, args[i++]));
                    case "--case" -> onlyCase = Integer.parseInt(need(v, args[i++]));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            StateMachineFuzzer.Settings settings =
                    new StateMachineFuzzer.Settings(cases, steps, seed, mutateProb, onlyCase);
            long start = System.nanoTime();
            StateMachineFuzzer.Summary summary;
            try {
                summary = new StateMachineFuzzer().run(settings);
            } catch (FuzzFailure f) {
                printHeader(cases, steps, mutateProb);
                System.out.println("result=FAIL");
                System.out.println("seed=" + seed);
                System.out.println("case=" + f.caseIndex());
                System.out.println("step=" + f.step());
                System.out.println("failure=" + f.getMessage());
                System.out.println("reproduce=./qsp fuzz --cases " + cases + " --steps " + steps + " --seed " + seed
                        + " --mutate-prob " + mutateProb + " --case " + f.caseIndex());
                f.printStackTrace(System.out);
                System.exit(1);
                return;
            }
            printHeader(cases, steps, mutateProb);
            System.out.println("result=OK");
            // Totals go to standard error so that standard output is exactly the seed's four lines.
            System.err.println("seed=" + seed + " connections=" + summary.connections() + " faults="
                    + summary.faults() + " rekeys=" + summary.rekeys() + " app_bytes=" + summary.appBytes()
                    + String.format(Locale.ROOT, " elapsed_sec=%.1f", (System.nanoTime() - start) / 1e9));
        } catch (IllegalArgumentException e) {
            System.err.println("qsp fuzz: " + e.getMessage());
            System.err.println("usage: ./qsp fuzz [--cases N] [--steps N] [--seed N] [--mutate-prob P] [--case N]");
            System.exit(2);
        }
    }

    private static String need(String v, String option) {
        if (v == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return v;
    }

    private static void printHeader(int cases, int steps, double mutateProb) {
        System.out.println("cases=" + cases);
        System.out.println("steps/case=" + steps);
        System.out.println("mutate_prob=" + mutateProb);
    }
}
