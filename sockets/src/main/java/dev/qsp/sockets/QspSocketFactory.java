package dev.qsp.sockets;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.Objects;
import javax.net.SocketFactory;

/**
 * Creates client {@link QspSocket}s: code that accepts a {@link SocketFactory} gains QSP by being given this one
 * (SPEC.md §6). The handshake runs on the first read or write, or on {@link QspSocket#startHandshake()}.
 *
 * <p>The client expects the server to prove the identity of the context's expected peer identity or, when the
 * context names none, the host name passed to {@code createSocket} / {@code connect}.
 *
 * <p>{@link #getDefault()} builds its context from the {@code dev.qsp.*} system properties, so that programs
 * which take a factory class name (JNDI's {@code java.naming.ldap.factory.socket}) gain QSP by configuration.
 */
public class QspSocketFactory extends SocketFactory {
    private final QspContext context;
    private final QspConfigurationException failure;

    QspSocketFactory(QspContext context) {
        this.context = Objects.requireNonNull(context, "context");
        this.failure = null;
        if (context.trust() == null) {
            throw new IllegalStateException("a client context needs trust (trustStore or pinnedPeerKeys) "
                    + "to verify the server");
        }
    }

    /**
     * The factory of {@link #getDefault()}, for code that instantiates a factory by class name (pgjdbc's
     * {@code socketFactory=dev.qsp.sockets.QspSocketFactory}, connection pools): configured by the
     * {@code dev.qsp.*} system properties as they are now (SPEC.md §6.5). Never throws; a missing or wrong
     * property makes every {@code createSocket} throw a {@link QspConfigurationException} naming it.
     */
    public QspSocketFactory() {
        this(DefaultContexts.clientFactory());
    }

    private QspSocketFactory(QspSocketFactory shared) {
        this.context = shared.context;
        this.failure = shared.failure;
    }

    /** A factory whose every socket creation reports why the default context could not be built. */
    private QspSocketFactory(QspConfigurationException failure) {
        this.context = null;
        this.failure = failure;
    }

    /**
     * {@return the factory of the context described by the {@code dev.qsp.*} system properties (SPEC.md §6.5)} It is
     * built once per distinct set of property values. Like {@code SSLSocketFactory.getDefault()} this never
     * throws: if a property is missing or wrong, every {@code createSocket} throws a
     * {@link QspConfigurationException} naming it.
     */
    public static SocketFactory getDefault() {
        return DefaultContexts.clientFactory();
    }

    static QspSocketFactory fromSystemProperties(Map<String, String> snapshot) {
        try {
            QspContext ctx = SystemPropertyConfig.load(snapshot);
            SystemPropertyConfig.requireClientSettings(ctx);
            return new QspSocketFactory(ctx);
        } catch (QspConfigurationException e) {
            return new QspSocketFactory(e);
        }
    }

    /**
     * {@return the context this factory's sockets use}
     *
     * @throws QspConfigurationException if the context could not be built from the system properties
     */
    public QspContext getContext() throws QspConfigurationException {
        return context();
    }

    private QspContext context() throws QspConfigurationException {
        if (failure != null) {
            throw failure.reported();
        }
        return context;
    }

    /** An unconnected socket; {@link Socket#connect} then connects it, and the handshake follows on first use. */
    @Override
    public Socket createSocket() throws IOException {
        return QspSocket.unconnectedClient(context());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        QspContext ctx = context();
        QspSocket s = QspSocket.unconnectedClient(ctx, host); // the application's name, not the resolved address
        connect(s, new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        QspContext ctx = context();
        QspSocket s = QspSocket.unconnectedClient(ctx, host);
        try {
            s.bind(new InetSocketAddress(localHost, localPort));
        } catch (IOException e) {
            s.close();
            throw e;
        }
        connect(s, new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        QspContext ctx = context();
        QspSocket s = QspSocket.unconnectedClient(ctx, addressIdentity(host));
        connect(s, new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        QspContext ctx = context();
        QspSocket s = QspSocket.unconnectedClient(ctx, addressIdentity(address));
        try {
            s.bind(new InetSocketAddress(localAddress, localPort));
        } catch (IOException e) {
            s.close();
            throw e;
        }
        connect(s, new InetSocketAddress(address, port));
        return s;
    }

    /**
     * Layers QSP over an already connected socket (for instance one that went through a proxy), as
     * {@code SSLSocketFactory.createSocket(Socket, String, int, boolean)} does. The QSP client expects the
     * server to prove {@code host} unless the context names an expected peer identity.
     *
     * @param socket    a connected socket
     * @param host      the server's host name, which the server must prove
     * @param port      the server's port
     * @param autoClose whether closing the QSP socket closes {@code socket}
     * @return the QSP socket over {@code socket}, its handshake not yet run
     * @throws IOException if the factory's configuration is broken ({@link QspConfigurationException}) or
     *                     {@code socket} is not connected
     */
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
        Objects.requireNonNull(socket, "socket");
        if (!socket.isConnected()) throw new java.net.SocketException("the socket to layer QSP over is not connected");
        QspContext ctx = context();
        if (host == null && ctx.expectedPeerIdentity() == null && !ctx.trust().isPinned()) {
            // PKIX alone would accept any certificate the anchors issued (SPEC.md §4.7)
            throw new java.net.SocketException("layering QSP needs the server's host name (or an expected peer "
                    + "identity in the context) to verify the server");
        }
        return QspSocket.layeredClient(ctx, socket, host, autoClose);
    }

    /**
     * The identity a client connecting by address expects (SPEC.md §6.1): the IP literal, matched against the
     * certificate's iPAddress SANs. Never a host name the {@code InetAddress} may carry, which can come from a
     * reverse (PTR) lookup the server's operator controls rather than from the application.
     */
    private static String addressIdentity(InetAddress address) {
        return Objects.requireNonNull(address, "address").getHostAddress();
    }

    private static void connect(QspSocket s, InetSocketAddress address) throws IOException {
        try {
            s.connect(address);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }
}
