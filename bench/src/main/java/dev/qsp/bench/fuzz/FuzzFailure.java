package dev.qsp.bench.fuzz;

/**
 * A property the fuzzer checks did not hold. Carries what reproduces it: the run's seed, the case and the step
 * ({@code ./qsp fuzz --seed S --case C --steps N} reruns exactly that case).
 */
public final class FuzzFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The run's seed. */
    private final long seed;
    /** The failing case. */
    private final int caseIndex;
    /** The step of the case at which the property failed. */
    private final int step;

    FuzzFailure(long seed, int caseIndex, int step, String message, Throwable cause) {
        super("seed " + seed + ", case " + caseIndex + ", step " + step + ": " + message, cause);
        this.seed = seed;
        this.caseIndex = caseIndex;
        this.step = step;
    }

    /** {@return the run's seed ({@code --seed})} */
    public long seed() {
        return seed;
    }

    /** {@return the failing case ({@code --case})} */
    public int caseIndex() {
        return caseIndex;
    }

    /** {@return the step of the case, counted from 0, at which the property failed} */
    public int step() {
        return step;
    }
}
