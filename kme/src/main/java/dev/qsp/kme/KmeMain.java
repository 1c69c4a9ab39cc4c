package dev.qsp.kme;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs a simulated KME pair until the process is stopped: {@code KmeMain <directory>}. Writes throwaway
 * PKCS#12 material and one properties file per SAE into the directory, and prints the KME URLs, SAE IDs and
 * file paths. For development and demos only: the key material is pseudo-random, not from a QKD link.
 *
 * <p>Its command line (picocli, an optional dependency: {@code --add-modules info.picocli} on the module path):
 * {@code --help} prints the usage; a bad or missing argument is one line on standard error and exit status 2; a
 * failure to start is one line and exit status 1.
 */
@Command(name = "KmeMain", description = "Runs a simulated ETSI GS QKD 014 KME pair (mutual TLS on 127.0.0.1, "
        + "pseudo-random keys: development only) until stopped.")
public final class KmeMain implements Callable<Integer> {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
    boolean help;
    @Parameters(index = "0", paramLabel = "DIRECTORY",
            description = "Where to write the throwaway PKCS#12 files and the sae-a/sae-b.properties.")
    Path dir;

    private final PrintStream out;

    private KmeMain(PrintStream out) {
        this.out = out;
    }

    /**
     * Runs the KME pair until stopped (exit status 2 for a bad option).
     *
     * @param args the command line: the directory for the key stores and properties ({@code --help})
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Parses {@code args} and runs the pair until the JVM stops; returns the exit status (1 failed, 2 bad usage). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new KmeMain(out));
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("KmeMain: " + e.getMessage() + " (see --help)");
            return CommandLine.ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            c.getErr().println("KmeMain: could not start the KME pair: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return CommandLine.ExitCode.SOFTWARE;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        KmePair pair = start(dir, out);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pair.close();
            stop.countDown();
        }, "kme-shutdown"));
        stop.await();
        return 0;
    }

    /** Starts a pair, writes its material into {@code dir} and describes it on {@code out}. */
    static KmePair start(Path dir, PrintStream out) throws GeneralSecurityException, IOException {
        Files.createDirectories(dir);
        KmePair pair = KmePair.start();
        try {
            KmePair.Material m = pair.writeMaterial(dir);
            String password = new String(pair.pki().password());
            Path propsA = dir.resolve("sae-a.properties");
            Path propsB = dir.resolve("sae-b.properties");
            Files.writeString(propsA, properties(pair.kmeA().baseUri().toString(), KmePair.SAE_A, KmePair.SAE_B,
                    m.saeAKeyStore(), m.trustStore(), password));
            Files.writeString(propsB, properties(pair.kmeB().baseUri().toString(), KmePair.SAE_B, KmePair.SAE_A,
                    m.saeBKeyStore(), m.trustStore(), password));
            out.println("Simulated ETSI GS QKD 014 KME pair (mutual TLS; not a real QKD link)");
            out.println("  " + KmePair.KME_A + "  " + pair.kmeA().baseUri() + "  serves SAE " + KmePair.SAE_A
                    + "  key store " + m.saeAKeyStore());
            out.println("  " + KmePair.KME_B + "  " + pair.kmeB().baseUri() + "  serves SAE " + KmePair.SAE_B
                    + "  key store " + m.saeBKeyStore());
            out.println("  trust store (KME CA)  " + m.trustStore());
            out.println("  PKCS#12 password     " + password);
            out.println("  QSP settings         " + propsA + "  " + propsB);
            out.println("  e.g. curl --cert-type P12 --cert " + m.saeAKeyStore() + ":" + password
                    + " --cacert " + m.caPem() + " " + pair.kmeA().baseUri() + "/api/v1/keys/" + KmePair.SAE_B + "/status");
            out.println("Stop with Ctrl-C.");
            out.flush();
            return pair;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    private static String properties(String url, String sae, String peer, Path keyStore, Path trustStore,
                                     String password) {
        return "# QSP QKD settings for " + sae + " (throwaway material from KmeMain)\n"
                + "qsp.qkd.kme.url=" + url + "\n"
                + "qsp.qkd.sae.id=" + sae + "\n"
                + "qsp.qkd.peer.sae.id=" + peer + "\n"
                + "qsp.qkd.keystore=" + keyStore.toAbsolutePath() + "\n"
                + "qsp.qkd.keystore.password=" + password + "\n"
                + "qsp.qkd.truststore=" + trustStore.toAbsolutePath() + "\n"
                + "qsp.qkd.truststore.password=" + password + "\n";
    }
}
