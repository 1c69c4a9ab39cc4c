package dev.qsp.bench.tunnel;

import dev.qsp.bench.scale.Stores;
import dev.qsp.tunnel.Service;
import dev.qsp.tunnel.Tunnel;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * The QSP JVM of {@code ./qsp bench tunnel}: a server tunnel in front of the benchmark's service and a client
 * tunnel in front of it, as one stunnel process runs both of its services. Prints {@code ports client=<n>
 * server=<n>}, runs until stdin ends. Per-connection log lines are dropped (stunnel's are off too).
 * <p>Usage: {@code TunnelHost <qsp.p12> <servicePort>}
 */
public final class TunnelHost {
    private TunnelHost() {
    }

    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]);
        InetAddress lo = InetAddress.getLoopbackAddress();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Tunnel server = Tunnel.start(List.of(new Service("bench-server", Service.Mode.SERVER, new InetSocketAddress(lo, 0),
                new InetSocketAddress(lo, Integer.parseInt(args[1])), Stores.qspServer(store, 1024), null)), quiet);
        Tunnel client = Tunnel.start(List.of(new Service("bench-client", Service.Mode.CLIENT, new InetSocketAddress(lo, 0),
                server.address(0), Stores.qspClient(store), "localhost")), quiet);
        System.out.println("ports client=" + client.address(0).getPort() + " server=" + server.address(0).getPort());
        try {
            while (System.in.read() >= 0) {
                // until the driver closes stdin
            }
        } catch (IOException ignored) {
            // the driver is gone
        }
        client.close();
        server.close();
        System.exit(0);
    }
}
