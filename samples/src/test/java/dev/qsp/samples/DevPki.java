package dev.qsp.samples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** One development PKI per test JVM (keytool is the slow part), in a temporary directory, with its log. */
final class DevPki {
    private static DevIdentity identity;
    private static Path dir;
    private static String log;

    private DevPki() {}

    static synchronized DevIdentity get() throws Exception {
        if (identity == null) {
            dir = Files.createTempDirectory("qsp-dev-pki-test");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            identity = DevIdentity.ensure(dir, new PrintStream(out, true, StandardCharsets.UTF_8));
            log = out.toString(StandardCharsets.UTF_8);
        }
        return identity;
    }

    static synchronized Path dir() throws Exception {
        get();
        return dir;
    }

    /** What the first {@link DevIdentity#ensure} printed. */
    static synchronized String firstLog() throws Exception {
        get();
        return log;
    }
}
