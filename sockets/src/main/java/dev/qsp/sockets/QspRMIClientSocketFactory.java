package dev.qsp.sockets;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.net.Socket;
import java.rmi.server.RMIClientSocketFactory;

/**
 * RMI's client side over QSP: export a remote object with this factory and a {@link QspRMIServerSocketFactory},
 * and every call to it runs over QSP. The factory travels inside the stub, so it carries no keys: each JVM that
 * uses it configures it with its own {@code dev.qsp.*} system properties ({@link QspSocketFactory#getDefault()},
 * SPEC.md §6.5). All instances are equal, so RMI reuses connections between them.
 */
public final class QspRMIClientSocketFactory implements RMIClientSocketFactory, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** A factory of client sockets configured by this JVM's {@code dev.qsp.*} system properties. */
    public QspRMIClientSocketFactory() {
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return QspSocketFactory.getDefault().createSocket(host, port);
    }

    @Override
    public boolean equals(Object o) { return o != null && o.getClass() == getClass(); }

    @Override
    public int hashCode() { return QspRMIClientSocketFactory.class.hashCode(); }

    @Override
    public String toString() { return "QspRMIClientSocketFactory[dev.qsp.* system properties]"; }
}
