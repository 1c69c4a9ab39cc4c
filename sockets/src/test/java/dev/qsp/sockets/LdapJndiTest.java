package dev.qsp.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Properties;
import javax.naming.AuthenticationException;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Legacy code unchanged on both ends: JNDI's LDAP client, told only the factory class name
 * ({@code java.naming.ldap.factory.socket}) and configured by {@code dev.qsp.*} system properties, against an
 * UnboundID in-memory directory whose listener was given {@link QspServerSocketFactory}. JNDI loads the factory
 * through the context class loader and calls its static {@code getDefault()}, as it does for SSL factories.
 */
class LdapJndiTest {
    private static final String BASE = "dc=example,dc=com";
    private static final String ALICE = "uid=alice,ou=people," + BASE;

    @TempDir
    static Path dir;
    private static InMemoryDirectoryServer directory;
    private static int port;
    private static Properties saved;

    @BeforeAll
    static void startDirectory() throws Exception {
        TestIdentities ids = TestIdentities.get();
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        QspServerSocketFactory qsp = ids.serverContext().build().getServerSocketFactory();
        config.setListenerConfigs(new InMemoryListenerConfig("qsp", InetAddress.getLoopbackAddress(), 0, qsp, null, null));
        directory = new InMemoryDirectoryServer(config);
        directory.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: example");
        directory.add("dn: ou=people," + BASE, "objectClass: top", "objectClass: organizationalUnit", "ou: people");
        directory.add("dn: " + ALICE, "objectClass: top", "objectClass: person", "objectClass: inetOrgPerson",
                "uid: alice", "cn: Alice Example", "sn: Example", "mail: alice@example.com",
                "userPassword: alice-secret");
        directory.startListening();
        port = directory.getListenPort("qsp");

        saved = (Properties) System.getProperties().clone();
        Path trust = ids.writeTrustStore(dir.resolve("trust.p12"));
        System.setProperty("dev.qsp.trustStore", trust.toString());
        System.setProperty("dev.qsp.trustStorePassword", new String(TestIdentities.PASSWORD));
        System.setProperty("dev.qsp.expectedIdentity", TestIdentities.SERVER_NAME);
    }

    @AfterAll
    static void stopDirectory() {
        if (directory != null) directory.shutDown(true);
        if (saved != null) System.setProperties(saved);
    }

    private static Hashtable<String, Object> env(boolean withConnectTimeout) {
        Hashtable<String, Object> env = new Hashtable<>();
        env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
        env.put(Context.PROVIDER_URL, "ldap://127.0.0.1:" + port);
        env.put("java.naming.ldap.factory.socket", "dev.qsp.sockets.QspSocketFactory");
        env.put("com.sun.jndi.ldap.read.timeout", "20000");
        if (withConnectTimeout) env.put("com.sun.jndi.ldap.connect.timeout", "20000"); // unconnected createSocket()
        return env;
    }

    @Test
    void anonymousSearchGoesThroughQsp() throws Exception {
        DirContext ctx = new InitialDirContext(env(false));
        try {
            SearchControls sc = new SearchControls();
            sc.setSearchScope(SearchControls.SUBTREE_SCOPE);
            sc.setReturningAttributes(new String[] {"mail", "cn"});
            List<String> found = new ArrayList<>();
            NamingEnumeration<SearchResult> results = ctx.search(BASE, "(uid=alice)", sc);
            while (results.hasMore()) {
                SearchResult r = results.next();
                found.add(r.getNameInNamespace() + " " + r.getAttributes().get("mail").get());
            }
            assertEquals(List.of(ALICE + " alice@example.com"), found);
        } finally {
            ctx.close();
        }
    }

    @Test
    void simpleBindGoesThroughQspWithTheUnconnectedSocketPath() throws Exception {
        Hashtable<String, Object> env = env(true);
        env.put(Context.SECURITY_AUTHENTICATION, "simple");
        env.put(Context.SECURITY_PRINCIPAL, ALICE);
        env.put(Context.SECURITY_CREDENTIALS, "alice-secret");
        DirContext ctx = new InitialDirContext(env);
        try {
            assertEquals("Alice Example", ctx.getAttributes(ALICE, new String[] {"cn"}).get("cn").get());
        } finally {
            ctx.close();
        }
        env.put(Context.SECURITY_CREDENTIALS, "wrong");
        assertThrows(AuthenticationException.class, () -> new InitialDirContext(env), "the server checks the bind");
    }

    @Test
    void plainLdapClientToTheSamePortFails() {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(20000);
        options.setResponseTimeoutMillis(20000);
        LDAPException e = assertThrows(LDAPException.class, () -> {
            try (LDAPConnection plain = new LDAPConnection(options, "127.0.0.1", port)) {
                plain.getEntry(ALICE);
            }
        });
        assertTrue(e.getResultCode().isConnectionUsable() == false, e.toString());
    }
}
