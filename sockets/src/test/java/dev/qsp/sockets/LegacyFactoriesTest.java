package dev.qsp.sockets;

import static dev.qsp.sockets.Loopback.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.rmi.Remote;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What legacy code that names a factory class gets: public no-arg constructors (pgjdbc, pools) configured by the
 * {@code dev.qsp.*} properties, and an RMI call over the RMI factories on 127.0.0.1.
 */
public class LegacyFactoriesTest {
    @TempDir
    Path dir;
    private Properties saved;

    @BeforeEach
    void configure() throws Exception {
        saved = (Properties) System.getProperties().clone();
        TestIdentities ids = TestIdentities.get();
        Path server = TestIdentities.writeKeyStore(dir.resolve("server.p12"), "server", ids.server);
        Path trust = ids.writeTrustStore(dir.resolve("trust.p12"));
        System.setProperty("dev.qsp.keyStore", server.toString());
        System.setProperty("dev.qsp.keyStorePassword", new String(TestIdentities.PASSWORD));
        System.setProperty("dev.qsp.trustStore", trust.toString());
        System.setProperty("dev.qsp.trustStorePassword", new String(TestIdentities.PASSWORD));
        System.setProperty("dev.qsp.expectedIdentity", "localhost");
    }

    @AfterEach
    void restore() {
        System.setProperties(saved);
    }

    @Test
    void noArgConstructorsAsPgjdbcCallsThem() throws Exception {
        // exactly what a driver does with a class name from its URL
        SocketFactory sf = (SocketFactory) Class.forName("dev.qsp.sockets.QspSocketFactory").getConstructor().newInstance();
        ServerSocketFactory ssf = (ServerSocketFactory) Class.forName("dev.qsp.sockets.QspServerSocketFactory")
                .getConstructor().newInstance();
        try (ServerSocket ss = ssf.createServerSocket(0, 10, InetAddress.getLoopbackAddress());
             ExecutorService t = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Integer> echo = t.submit(() -> {
                try (Socket s = ss.accept()) {
                    int b = s.getInputStream().read();
                    s.getOutputStream().write(b + 1);
                    return b;
                }
            });
            try (Socket c = sf.createSocket("127.0.0.1", ss.getLocalPort())) {
                assertInstanceOf(QspSocket.class, c);
                c.getOutputStream().write(41);
                assertEquals(42, c.getInputStream().read());
                assertEquals("localhost", ((QspSocket) c).getSession().peerIdentity());
            }
            assertEquals(41, await(echo));
        }
    }

    @Test
    void noArgConstructorReportsAMissingPropertyOnUse() throws Exception {
        System.clearProperty("dev.qsp.trustStore");
        System.clearProperty("dev.qsp.trustStorePassword");
        System.clearProperty("dev.qsp.keyStore");
        System.clearProperty("dev.qsp.keyStorePassword");
        QspSocketFactory sf = new QspSocketFactory(); // never throws, as getDefault()
        QspConfigurationException e = assertThrows(QspConfigurationException.class, () -> sf.createSocket("127.0.0.1", 1));
        assertTrue(e.getMessage().contains("dev.qsp.trustStore"), e.getMessage());
    }

    /** The remote interface of the RMI test. */
    public interface Adder extends Remote {
        long add(long a, long b) throws RemoteException;

        String peerIdentitySeenByServer() throws RemoteException;
    }

    /** Its implementation. */
    static final class AdderImpl implements Adder {
        @Override
        public long add(long a, long b) { return a + b; }

        @Override
        public String peerIdentitySeenByServer() {
            try {
                return java.rmi.server.RemoteServer.getClientHost();
            } catch (java.rmi.server.ServerNotActiveException e) {
                return "not in a call";
            }
        }
    }

    @Test
    void rmiCallRunsOverQsp() throws Exception {
        System.setProperty("java.rmi.server.hostname", "127.0.0.1");
        QspRMIClientSocketFactory csf = new QspRMIClientSocketFactory();
        QspRMIServerSocketFactory ssf = new QspRMIServerSocketFactory(InetAddress.getLoopbackAddress());
        AdderImpl impl = new AdderImpl();
        Registry registry = LocateRegistry.createRegistry(0, csf, ssf);
        try {
            Adder stub = (Adder) UnicastRemoteObject.exportObject(impl, 0, csf, ssf);
            int port = registryPort(registry);
            registry.rebind("adder", stub);
            Registry remote = LocateRegistry.getRegistry("127.0.0.1", port, csf);
            Adder proxy = (Adder) remote.lookup("adder");
            assertEquals(42L, proxy.add(40, 2));
            assertEquals("127.0.0.1", proxy.peerIdentitySeenByServer());
        } finally {
            UnicastRemoteObject.unexportObject(impl, true);
            UnicastRemoteObject.unexportObject(registry, true);
        }
    }

    /** The port a registry exported on port 0 got, from its stub's endpoint (the live reference's toString). */
    private static int registryPort(Registry registry) throws Exception {
        Registry stub = (Registry) java.rmi.server.RemoteObject.toStub(registry);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(stub.toString());
        assertTrue(m.find(), stub.toString());
        return Integer.parseInt(m.group(1));
    }

    @Test
    void rmiFactoriesAreSerializableAndEqualByConfiguration() throws Exception {
        QspRMIClientSocketFactory f = new QspRMIClientSocketFactory();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(f);
        }
        Object back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = in.readObject();
        }
        assertEquals(f, back);
        assertEquals(f.hashCode(), back.hashCode());
        assertEquals(new QspRMIServerSocketFactory(InetAddress.getLoopbackAddress()),
                new QspRMIServerSocketFactory(InetAddress.getLoopbackAddress()));
        assertNotEquals(new QspRMIServerSocketFactory(), new QspRMIServerSocketFactory(InetAddress.getLoopbackAddress()));
    }
}
