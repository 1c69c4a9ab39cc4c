package dev.qsp.bench.fuzz;

/**
 * A property the fuzzer checks did not hold. Carries what reproduces it: the run's seed, the case and the step
 * ({@code ./qsp fuzz --seed S --case C --steps N} reruns exactly that case).
 */
public final class FuzzFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long seed;
    private final int caseIndex;
    private final int step;

    FuzzFailure(long seed, int caseIndex, int step, String message, Throwable cause) {
        super("seed " + seed + ", case " + caseIndex + ", step " + step + ": " + message, cause);
        this.seed = seed;
        this.caseIndex = caseIndex;
        this.step = step;
    }

    public long seed() {
        return seed;
    }

    public int caseIndex() {
        return caseIndex;
    }

    public int step() {
        return step;
    }
}
