import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gate of {@code ./qsp mutation} (issue 15): reads PIT's mutations.xml of each mutated package, drops the
 * mutants listed as equivalent in {@code mutation/equivalent.tsv} (each with a one-line reason), and fails when a
 * package's score over the remaining mutants is below the threshold. Prints every surviving or uncovered mutant
 * that is not listed, so each is either killed by a new test or listed with its reason.
 * <p>
 * Usage: {@code java mutation/MutationGate.java THRESHOLD_PERCENT EQUIVALENT_TSV NAME=MUTATIONS_XML ...}
 * <p>
 * A mutant is identified by class, method, line number and mutator (the last part of PIT's mutator name), the
 * first four tab-separated columns of the TSV; the fifth is the reason. Detected means PIT's KILLED, TIMED_OUT,
 * MEMORY_ERROR or RUN_ERROR (the test run noticed the change); SURVIVED and NO_COVERAGE count against the score.
 */
public final class MutationGate {
    record Mutant(String status, String clazz, String method, int line, String mutator, String description) {
        String key() {
            return clazz + "\t" + method + "\t" + line + "\t" + mutator;
        }

        boolean detected() {
            return switch (status) {
                case "KILLED", "TIMED_OUT", "MEMORY_ERROR", "RUN_ERROR" -> true;
                default -> false;
            };
        }
    }

    private static final Pattern MUTATION = Pattern.compile("<mutation\\b[^>]*\\bstatus='([A-Z_]+)'[^>]*>(.*?)</mutation>",
            Pattern.DOTALL);

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: MutationGate THRESHOLD_PERCENT EQUIVALENT_TSV NAME=MUTATIONS_XML ...");
            System.exit(2);
        }
        double threshold = Double.parseDouble(args[0]);
        Map<String, String> equivalent = equivalent(Path.of(args[1]));
        boolean ok = true;
        for (int i = 2; i < args.length; i++) {
            String[] nameFile = args[i].split("=", 2);
            ok &= gate(nameFile[0], read(Path.of(nameFile[1])), equivalent, threshold);
        }
        System.exit(ok ? 0 : 1);
    }

    static boolean gate(String name, List<Mutant> mutants, Map<String, String> equivalent, double threshold) {
        int listed = 0;
        int detected = 0;
        List<Mutant> open = new ArrayList<>();
        for (Mutant m : mutants) {
            if (equivalent.containsKey(m.key())) {
                listed++;
            } else if (m.detected()) {
                detected++;
            } else {
                open.add(m);
            }
        }
        int counted = mutants.size() - listed;
        double score = counted == 0 ? 100.0 : 100.0 * detected / counted;
        boolean pass = score >= threshold;
        System.out.printf(Locale.ROOT, "mutation: %s: %d mutants, %d listed as equivalent, %d detected of %d: %.1f%% (threshold %.0f%%) %s%n",
                name, mutants.size(), listed, detected, counted, score, threshold, pass ? "PASS" : "FAIL");
        for (Mutant m : open) {
            System.out.printf(Locale.ROOT, "  %s %s.%s line %d %s: %s%n", m.status(), m.clazz(), m.method(), m.line(),
                    m.mutator(), m.description());
        }
        return pass;
    }

    static List<Mutant> read(Path xml) throws IOException {
        if (!Files.isRegularFile(xml)) {
            throw new IOException("no PIT report at " + xml + " (did the mutation run finish?)");
        }
        String text = Files.readString(xml);
        List<Mutant> mutants = new ArrayList<>();
        Matcher m = MUTATION.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            String mutator = element(body, "mutator");
            mutants.add(new Mutant(m.group(1), element(body, "mutatedClass"), element(body, "mutatedMethod"),
                    Integer.parseInt(element(body, "lineNumber")), mutator.substring(mutator.lastIndexOf('.') + 1),
                    element(body, "description")));
        }
        return mutants;
    }

    static Map<String, String> equivalent(Path tsv) throws IOException {
        Map<String, String> listed = new LinkedHashMap<>();
        if (!Files.exists(tsv)) {
            return listed;
        }
        int n = 0;
        for (String line : Files.readAllLines(tsv)) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 5 || f[4].isBlank()) {
                throw new IOException(tsv + ":" + n + ": expected class, method, line, mutator and a reason,"
                        + " tab-separated");
            }
            listed.put(f[0] + "\t" + f[1] + "\t" + Integer.parseInt(f[2]) + "\t" + f[3], f[4]);
        }
        return listed;
    }

    private static String element(String body, String name) {
        int start = body.indexOf("<" + name + ">");
        int end = body.indexOf("</" + name + ">");
        if (start < 0 || end < 0) {
            return "";
        }
        String v = body.substring(start + name.length() + 2, end);
        return unescape(v.startsWith("<![CDATA[") ? v.substring(9, v.length() - 3) : v);
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&");
    }
}
