package dev.qsp.sockets;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.server.RMIServerSocketFactory;
import java.util.Objects;

/**
 * RMI's server side over QSP: the server sockets of {@link QspServerSocketFactory#getDefault()} (the
 * {@code dev.qsp.*} system properties, SPEC.md §6.5), optionally bound to one address. Pair it with
 * {@link QspRMIClientSocketFactory} when exporting. Equal when bound alike, so RMI shares one port between
 * objects exported with equal factories.
 */
public final class QspRMIServerSocketFactory implements RMIServerSocketFactory {
    private final InetAddress bindAddress;

    /** Server sockets on every local address, as RMI's default factory makes them. */
    public QspRMIServerSocketFactory() {
        this.bindAddress = null;
    }

    /**
     * Server sockets bound to {@code bindAddress} only (e.g. the loopback address).
     *
     * @param bindAddress the local address to bind
     */
    public QspRMIServerSocketFactory(InetAddress bindAddress) {
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return QspServerSocketFactory.getDefault().createServerSocket(port, 50, bindAddress);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QspRMIServerSocketFactory f && Objects.equals(bindAddress, f.bindAddress);
    }

    @Override
    public int hashCode() { return Objects.hashCode(bindAddress); }

    @Override
    public String toString() {
        return "QspRMIServerSocketFactory[" + (bindAddress == null ? "any address" : bindAddress.getHostAddress()) + "]";
    }
}
