package dev.qsp.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import java.io.File;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JNDI as a legacy program really runs it: a separate JVM with the QSP jars on the plain class path (not the
 * module path), the factory named by class and configured only with {@code -Ddev.qsp.*} options. JNDI loads the
 * factory through the context class loader there, as it would in an application server.
 */
class LdapJndiClasspathTest {
    @TempDir
    Path dir;

    @Test
    void legacyJndiProgramOnTheClassPathSearchesThroughQsp() throws Exception {
        TestIdentities ids = TestIdentities.get();
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("dc=example,dc=com");
        config.setListenerConfigs(new InMemoryListenerConfig("qsp", InetAddress.getLoopbackAddress(), 0,
                ids.serverContext().build().getServerSocketFactory(), null, null));
        InMemoryDirectoryServer directory = new InMemoryDirectoryServer(config);
        try {
            directory.add("dn: dc=example,dc=com", "objectClass: top", "objectClass: domain", "dc: example");
            directory.add("dn: uid=bob,dc=example,dc=com", "objectClass: top", "objectClass: person",
                    "objectClass: inetOrgPerson", "uid: bob", "cn: Bob", "sn: Example", "mail: bob@example.com");
            directory.startListening();
            Path trust = ids.writeTrustStore(dir.resolve("trust.p12"));

            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-cp");
            cmd.add(classPath());
            cmd.add("-DsocketFactory=dev.qsp.sockets.QspSocketFactory");
            cmd.add("-Ddev.qsp.trustStore=" + trust);
            cmd.add("-Ddev.qsp.trustStorePassword=" + new String(TestIdentities.PASSWORD));
            cmd.add("-Ddev.qsp.expectedIdentity=" + TestIdentities.SERVER_NAME);
            cmd.add(JndiSearchMain.class.getName());
            cmd.add("ldap://127.0.0.1:" + directory.getListenPort("qsp"));
            cmd.add("dc=example,dc=com");
            cmd.add("(uid=bob)");
            cmd.add("mail");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            assertEquals("found uid=bob,dc=example,dc=com bob@example.com", out.strip());
        } finally {
            directory.shutDown(true);
        }
    }

    /** Every jar and class directory this test JVM has, module path included, as one plain class path. */
    private static String classPath() throws Exception {
        List<String> parts = new ArrayList<>();
        for (String prop : List.of("jdk.module.path", "java.class.path")) {
            String v = System.getProperty(prop);
            if (v != null && !v.isBlank()) parts.add(v);
        }
        parts.add(Path.of(JndiSearchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        return String.join(File.pathSeparator, parts);
    }
}
