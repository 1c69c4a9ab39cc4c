package dev.qsp.tunnel;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client tunnel and a server tunnel on 127.0.0.1 in front of a TCP service, configured by the same property
 * keys a user passes with -D (PKCS#12 stores written from the test PKI), with their log lines captured.
 */
final class TunnelFixture implements AutoCloseable {
    final Tunnel server;
    final Tunnel client;
    final LineLog lines = new LineLog();
    final PrintStream log = lines.stream();

    /** QSP properties for a server tunnel (identity + trust) and a client tunnel (trust, expects localhost). */
    static Map<String, String> serverProps(Path dir) throws Exception {
        TestIdentities ids = TestIdentities.get();
        java.nio.file.Files.createDirectories(dir);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("dev.qsp.keyStore", TestIdentities.writeKeyStore(dir.resolve("server.p12"), "server", ids.server).toString());
        p.put("dev.qsp.keyStorePassword", new String(TestIdentities.PASSWORD));
        return p;
    }

    static Map<String, String> clientProps(Path dir) throws Exception {
        TestIdentities ids = TestIdentities.get();
        java.nio.file.Files.createDirectories(dir);
        Map<String, String> p = new LinkedHashMap<>();
        p.put("dev.qsp.trustStore", ids.writeTrustStore(dir.resolve("trust.p12")).toString());
        p.put("dev.qsp.trustStorePassword", new String(TestIdentities.PASSWORD));
        p.put("dev.qsp.expectedIdentity", TestIdentities.SERVER_NAME);
        return p;
    }

    TunnelFixture(Path dir, int servicePort, Map<String, String> extraServerProps) throws Exception {
        Map<String, String> sp = serverProps(dir);
        sp.putAll(extraServerProps);
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        server = Tunnel.start(List.of(TunnelMain.TunnelConfig.service("svc", Service.Mode.SERVER, any,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), servicePort), sp, log)), log);
        client = Tunnel.start(List.of(TunnelMain.TunnelConfig.service("svc", Service.Mode.CLIENT, any,
                server.address(0), clientProps(dir), log)), log);
    }

    int clientPort() { return client.address(0).getPort(); }

    int serverPort() { return server.address(0).getPort(); }

    /** The next log line that contains {@code text} (waits for it; earlier lines are skipped). */
    String awaitLine(String text) throws InterruptedException { return lines.await(text); }

    @Override
    public void close() throws Exception {
        client.close();
        server.close();
    }
}
