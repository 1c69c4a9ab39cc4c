package dev.qsp.keysources.qkd.kme;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a simulated KME pair until the process is stopped: {@code KmeMain <directory>}. Writes throwaway
 * PKCS#12 material and one properties file per SAE into the directory, and prints the KME URLs, SAE IDs and
 * file paths. For development and demos only: the key material is pseudo-random, not from a QKD link.
 */
public final class KmeMain {
    private KmeMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: KmeMain <directory for the generated PKCS#12 files>");
            System.exit(2);
        }
        KmePair pair = start(Path.of(args[0]), System.out);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pair.close();
            stop.countDown();
        }, "kme-shutdown"));
        stop.await();
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
