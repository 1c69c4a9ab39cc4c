package dev.qsp.bench.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Throwaway server identities made at run time with the JDK's own {@code keytool} (never committed): a PKCS#12
 * key store in a temporary directory that {@link #close()} deletes.
 */
public final class KeyTool implements AutoCloseable {
    /** Password of the throwaway key stores; they protect nothing and live only for one benchmark run. */
    public static final char[] PASSWORD = "bench-only".toCharArray();
    /** Alias of the key entry in every key store made here. */
    public static final String ALIAS = "server";

    private final Path dir;

    /**
     * Creates the temporary directory the key stores will live in.
     *
     * @throws UncheckedIOException if the directory cannot be created
     */
    public KeyTool() {
        try {
            dir = Files.createTempDirectory("qsp-bench-keys");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Generates a self-signed key pair and certificate for CN=localhost, e.g. {@code ("EC", "secp256r1")} or
     * {@code ("ML-DSA-65", null)}, and returns the PKCS#12 file.
     *
     * @param name   the file's name in the temporary directory, without {@code .p12}
     * @param keyAlg keytool's {@code -keyalg}
     * @param group  keytool's {@code -groupname}, or null for none
     * @return the PKCS#12 key store, holding the key entry {@link #ALIAS} under {@link #PASSWORD}
     * @throws IOException if keytool fails (its output is in the message) or is interrupted
     */
    public Path generate(String name, String keyAlg, String group) throws IOException {
        Path store = dir.resolve(name + ".p12");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", ALIAS, "-keyalg", keyAlg, "-dname", "CN=localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)));
        if (group != null) {
            cmd.addAll(List.of("-groupname", group));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("keytool failed for " + keyAlg + ": " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
        return store;
    }

    /** {@return the temporary directory the key stores live in (deleted by {@link #close()})} */
    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
