package dev.qsp.bench.loopback;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The aggregation of a loopback run's samples: per row and stack, the median over all rounds of all forks with
 * its 95% interval; and per pair of stacks, the ratio computed within each round (both slices measured seconds
 * apart, under the same load) and then summarized the same way. A ratio is never the quotient of two medians:
 * drift between rounds cancels inside a round and does not widen it.
 */
public final class LoopbackResults {
    /** One row's figures for one stack: the slice values and the CPU per operation. */
    public record Row(Kind kind, String stack, Stats value, Stats cpuMicros) {
    }

    /** {@code stack}'s figure divided by {@code reference}'s, per round. */
    public record Ratio(Kind kind, String stack, String reference, Stats value, Stats cpuMicros) {
    }

    private record Key(int fork, int round, Kind kind) {
    }

    private final List<Row> rows;
    private final List<Ratio> ratios;
    private final int rounds;

    private LoopbackResults(List<Row> rows, List<Ratio> ratios, int rounds) {
        this.rows = List.copyOf(rows);
        this.ratios = List.copyOf(ratios);
        this.rounds = rounds;
    }

    /**
     * Aggregates samples in any order. Rows and stacks keep the order of their first sample. A (fork, round, row,
     * stack) may appear once only.
     */
    public static LoopbackResults of(List<Sample> samples) {
        Map<Kind, Map<String, List<Sample>>> byRow = new LinkedHashMap<>();
        Map<Key, Map<String, Sample>> byRound = new LinkedHashMap<>();
        for (Sample s : samples) {
            byRow.computeIfAbsent(s.kind(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(s.stack(), k -> new ArrayList<>()).add(s);
            Sample previous = byRound.computeIfAbsent(new Key(s.fork(), s.round(), s.kind()), k -> new LinkedHashMap<>())
                    .put(s.stack(), s);
            if (previous != null) {
                throw new IllegalArgumentException("two samples of " + s.kind().id() + " " + s.stack() + " in fork "
                        + s.fork() + " round " + s.round());
            }
        }
        List<Row> rows = new ArrayList<>();
        List<Ratio> ratios = new ArrayList<>();
        byRow.forEach((kind, stacks) -> {
            stacks.forEach((stack, list) -> rows.add(new Row(kind, stack,
                    Stats.of(list.stream().map(Sample::value).toList()),
                    Stats.of(list.stream().map(Sample::cpuMicros).toList()))));
            for (String stack : stacks.keySet()) {
                for (String reference : stacks.keySet()) {
                    if (stack.equals(reference)) {
                        continue;
                    }
                    List<Double> value = new ArrayList<>();
                    List<Double> cpu = new ArrayList<>();
                    byRound.forEach((key, round) -> {
                        Sample a = round.get(stack);
                        Sample b = round.get(reference);
                        if (key.kind() == kind && a != null && b != null) {
                            value.add(a.value() / b.value());
                            cpu.add(a.cpuMicros() / b.cpuMicros());
                        }
                    });
                    if (!value.isEmpty()) {
                        ratios.add(new Ratio(kind, stack, reference, Stats.of(value), Stats.of(cpu)));
                    }
                }
            }
        });
        int rounds = (int) byRound.keySet().stream().map(k -> List.of(k.fork(), k.round())).distinct().count();
        return new LoopbackResults(rows, ratios, rounds);
    }

    public List<Row> rows() {
        return rows;
    }

    public List<Ratio> ratios() {
        return ratios;
    }

    /** Distinct (fork, round) pairs seen. */
    public int rounds() {
        return rounds;
    }

    public Optional<Row> row(Kind kind, String stack) {
        return rows.stream().filter(r -> r.kind() == kind && r.stack().equals(stack)).findFirst();
    }

    public Optional<Ratio> ratio(Kind kind, String stack, String reference) {
        return ratios.stream().filter(r -> r.kind() == kind && r.stack().equals(stack)
                && r.reference().equals(reference)).findFirst();
    }
}
