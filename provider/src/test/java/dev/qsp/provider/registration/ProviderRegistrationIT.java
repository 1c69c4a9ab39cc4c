package dev.qsp.provider.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registration works each way a user does it (issue 2), tested against the packaged provider jar in child JVMs
 * so that no registration leaks between cases: {@code Security.addProvider}, a {@code java.security} override
 * with {@code security.provider.N}, and ServiceLoader on the class path and on the module path.
 * Runs in the integration-test phase (failsafe), after the jar exists.
 */
class ProviderRegistrationIT {
    private static Path providerJar;
    private static Path bcprovJar;
    private static Path testClasses;
    private static String javaExe;

    @BeforeAll
    static void locate() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            providerJar = s.filter(p -> p.getFileName().toString().matches("qsp-provider-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("provider jar not built in target/"));
        }
        String paths = System.getProperty("jdk.module.path", "") + java.io.File.pathSeparator
                + System.getProperty("java.class.path", "");
        bcprovJar = Arrays.stream(paths.split(java.io.File.pathSeparator))
                .filter(p -> p.contains("bcprov-jdk18on"))
                .map(Path::of).findFirst().orElseThrow(() -> new AssertionError("bcprov not on the test path"));
        testClasses = Path.of("target", "test-classes").toAbsolutePath();
        javaExe = ProcessHandle.current().info().command().orElseThrow();
    }

    @Test
    void jarCarriesServiceLoaderRegistration() throws IOException {
        try (JarFile jar = new JarFile(providerJar.toFile())) {
            var entry = jar.getEntry("META-INF/services/java.security.Provider");
            assertTrue(entry != null, "META-INF/services/java.security.Provider missing from " + providerJar);
            String text = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals("dev.qsp.provider.QspProvider", text);
            assertTrue(jar.getEntry("module-info.class") != null, "module-info.class missing");
        }
    }

    @Test
    void securityAddProvider() throws Exception {
        assertEquals("OK add-provider named=false", run(classPath(), "add-provider"));
    }

    @Test
    void securityPropertiesOverride(@TempDir Path dir) throws Exception {
        Path props = dir.resolve("qsp.java.security");
        // Appended after the JDK's own providers: a number one past the last static entry.
        int next = 1;
        while (java.security.Security.getProperty("security.provider." + next) != null) {
            next++;
        }
        Files.writeString(props, "security.provider." + next + "=dev.qsp.provider.QspProvider\n");
        List<String> args = new ArrayList<>(classPath());
        args.addFirst("-Djava.security.properties=" + props);
        assertEquals("OK security-properties named=false", run(args, "security-properties"));
    }

    @Test
    void serviceLoaderOnClassPath() throws Exception {
        assertEquals("OK service-loader named=false", run(classPath(), "service-loader"));
    }

    @Test
    void serviceLoaderOnModulePath() throws Exception {
        List<String> args = List.of(
                "--module-path", providerJar + java.io.File.pathSeparator + bcprovJar,
                "--add-modules", "dev.qsp.provider",
                "-cp", testClasses.toString());
        assertEquals("OK service-loader named=true", run(args, "service-loader"));
    }

    private static List<String> classPath() {
        String cp = String.join(java.io.File.pathSeparator,
                providerJar.toString(), bcprovJar.toString(), testClasses.toString());
        return List.of("-cp", cp);
    }

    private static String run(List<String> jvmArgs, String mode) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExe);
        cmd.addAll(jvmArgs);
        cmd.add(RegistrationProbe.class.getName());
        cmd.add(mode);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish in 60 s: " + cmd);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), () -> "child JVM failed: " + cmd + "\n" + out);
        String[] lines = out.split("\\R");
        return lines[lines.length - 1];
    }
}
