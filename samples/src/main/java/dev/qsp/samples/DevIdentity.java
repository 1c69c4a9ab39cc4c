package dev.qsp.samples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway development PKI for the samples: a CA, a server identity ({@code CN=localhost}, SAN
 * {@code localhost} and {@code 127.0.0.1}) and a client identity, all ML-DSA-65 in PKCS#12 stores, plus a trust
 * store holding the CA. Generated on first use with the JDK's own {@code keytool} (exactly the
 * {@code keytool -genkeypair -keyalg ML-DSA-65 -storetype PKCS12} stores users make), outside the repository
 * (default {@code ~/.qsp/dev}, or {@code $QSP_DEV_HOME}, or system property {@code dev.qsp.devHome}).
 *
 * <p>The password is public ({@link #PASSWORD}): this material protects nothing and must never be used for
 * anything but trying the samples.
 */
public final class DevIdentity {
    /** The password of every dev store. Public on purpose: the dev PKI is for demos only. */
    public static final String PASSWORD = "qsp-dev-only";
    static final String SERVER_ALIAS = "server";
    static final String CLIENT_ALIAS = "client";
    private static final String[] FILES = {"server.p12", "client.p12", "truststore.p12"};
    private static final long KEYTOOL_TIMEOUT_SECONDS = 120;

    private final Path dir;

    private DevIdentity(Path dir) {
        this.dir = dir;
    }

    /** {@return the dev PKI directory from {@code dev.qsp.devHome}, {@code QSP_DEV_HOME} or {@code ~/.qsp/dev}} */
    public static Path defaultDirectory() {
        String p = System.getProperty("dev.qsp.devHome");
        if (p == null || p.isBlank()) p = System.getenv("QSP_DEV_HOME");
        if (p == null || p.isBlank()) return Path.of(System.getProperty("user.home"), ".qsp", "dev");
        return Path.of(p);
    }

    /**
     * {@return the dev PKI in {@code dir}, generating it first if it is not there} Safe when several processes
     * start at once (a file lock serializes generation; the stores appear by atomic rename).
     *
     * @param dir where the PKI lives
     * @param log where to say whether it was generated or reused
     * @throws IOException if the directory or the stores cannot be written or read
     */
    public static DevIdentity ensure(Path dir, PrintStream log) throws IOException {
        Files.createDirectories(dir);
        DevIdentity id = new DevIdentity(dir);
        try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock lock = ch.lock();
            try {
                if (!id.complete()) {
                    log.println("qsp: generating a throwaway development identity (ML-DSA-65, PKCS#12) in " + dir);
                    log.println("qsp:   it lives outside the repository; password '" + PASSWORD
                            + "'; delete the directory to start afresh");
                    id.generate();
                } else {
                    log.println("qsp: using the development identity in " + dir + " (throwaway, demo only)");
                }
            } finally {
                lock.release();
            }
        }
        return id;
    }

    /** {@return the server's PKCS#12 key store} */
    public Path serverKeyStore() { return dir.resolve("server.p12"); }

    /** {@return the client's PKCS#12 key store} */
    public Path clientKeyStore() { return dir.resolve("client.p12"); }

    /** {@return the PKCS#12 trust store holding the dev CA} */
    public Path trustStore() { return dir.resolve("truststore.p12"); }

    /**
     * Sets the {@code dev.qsp.*} system properties that {@code QspSocketFactory.getDefault()} and
     * {@code QspServerSocketFactory.getDefault()} read, for the given role, unless the user set a key store.
     *
     * @param server true for the server's identity, false for the client's
     */
    public void applyAsDefaults(boolean server) {
        if (System.getProperty("dev.qsp.keyStore") != null) return;
        System.setProperty("dev.qsp.keyStore", (server ? serverKeyStore() : clientKeyStore()).toString());
        System.setProperty("dev.qsp.keyStorePassword", PASSWORD);
        System.setProperty("dev.qsp.keyAlias", server ? SERVER_ALIAS : CLIENT_ALIAS);
        if (System.getProperty("dev.qsp.trustStore") == null) {
            System.setProperty("dev.qsp.trustStore", trustStore().toString());
            System.setProperty("dev.qsp.trustStorePassword", PASSWORD);
        }
    }

    private boolean complete() {
        for (String f : FILES) {
            if (!Files.isRegularFile(dir.resolve(f))) return false;
        }
        return true;
    }

    /** Builds everything in a scratch directory, then moves the finished stores into place. */
    private void generate() throws IOException {
        Path work = Files.createTempDirectory(dir, "gen-");
        try {
            keytool(work, "-genkeypair", "-alias", "ca", "-keyalg", "ML-DSA-65", "-dname", "CN=QSP development CA",
                    "-ext", "bc:c", "-validity", "3650", "-storetype", "PKCS12", "-keystore", "ca.p12",
                    "-storepass", PASSWORD);
            keytool(work, "-exportcert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASSWORD, "-rfc",
                    "-file", "ca.cer");
            issue(work, "server.p12", SERVER_ALIAS, "CN=localhost", "san=dns:localhost,ip:127.0.0.1");
            issue(work, "client.p12", CLIENT_ALIAS, "CN=qsp-dev-client", "san=dns:qsp-dev-client");
            keytool(work, "-importcert", "-noprompt", "-alias", "qsp-dev-ca", "-file", "ca.cer", "-storetype",
                    "PKCS12", "-keystore", "truststore.p12", "-storepass", PASSWORD);
            for (String f : FILES) {
                Files.move(work.resolve(f), dir.resolve(f), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            try (Stream<Path> s = Files.walk(work)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /** A key pair with a CA-signed certificate (chain: leaf, CA) in its own PKCS#12 store. */
    private static void issue(Path work, String store, String alias, String dname, String san) throws IOException {
        String csr = alias + ".csr";
        String cer = alias + ".cer";
        keytool(work, "-genkeypair", "-alias", alias, "-keyalg", "ML-DSA-65", "-dname", dname, "-validity", "3650",
                "-storetype", "PKCS12", "-keystore", store, "-storepass", PASSWORD);
        keytool(work, "-certreq", "-alias", alias, "-keystore", store, "-storepass", PASSWORD, "-file", csr);
        keytool(work, "-gencert", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASSWORD, "-infile", csr,
                "-outfile", cer, "-ext", san, "-ext", "ku:c=digitalSignature", "-validity", "3650", "-rfc");
        // keytool needs the CA certificate in the store to install the signed reply as a full chain.
        keytool(work, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.cer", "-keystore", store,
                "-storepass", PASSWORD);
        keytool(work, "-importcert", "-alias", alias, "-file", cer, "-keystore", store, "-storepass", PASSWORD);
        keytool(work, "-delete", "-alias", "ca", "-keystore", store, "-storepass", PASSWORD);
    }

    private static void keytool(Path work, String... args) throws IOException {
        Path exe = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            if (!p.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("keytool " + args[0] + " did not finish in " + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool " + args[0], e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("keytool " + args[0] + " failed (exit " + p.exitValue() + "): " + out.strip());
        }
    }
}
