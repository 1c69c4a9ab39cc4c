package dev.qsp.sockets;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Objects;
import javax.net.ServerSocketFactory;

/**
 * Creates {@link QspServerSocket}s, whose {@code accept()} returns {@link QspSocket}s that run the server side
 * of the handshake on first use (SPEC.md §6). Code that accepts a {@link ServerSocketFactory} gains QSP by
 * being given this one.
 */
public class QspServerSocketFactory extends ServerSocketFactory {
    private final QspContext context;
    private final QspConfigurationException failure;

    QspServerSocketFactory(QspContext context) {
        this.context = Objects.requireNonNull(context, "context");
        this.failure = null;
        if (context.identity() == null) {
            throw new IllegalStateException("a server context needs an identity (QspContext.Builder.identity)");
        }
    }

    /**
     * The factory of {@link #getDefault()}, for code that instantiates a factory by class name: configured by
     * the {@code dev.qsp.*} system properties as they are now (SPEC.md §6.5). Never throws.
     */
    public QspServerSocketFactory() {
        this(DefaultContexts.serverFactory());
    }

    private QspServerSocketFactory(QspServerSocketFactory shared) {
        this.context = shared.context;
        this.failure = shared.failure;
    }

    private QspServerSocketFactory(QspConfigurationException failure) {
        this.context = null;
        this.failure = failure;
    }

    /**
     * {@return the factory of the context described by the {@code dev.qsp.*} system properties (SPEC.md §6.5), built
     * once per distinct set of property values} Never throws: a missing or wrong property makes every
     * {@code createServerSocket} throw a {@link QspConfigurationException} naming it.
     */
    public static ServerSocketFactory getDefault() {
        return DefaultContexts.serverFactory();
    }

    static QspServerSocketFactory fromSystemProperties(Map<String, String> snapshot) {
        try {
            QspContext ctx = SystemPropertyConfig.load(snapshot);
            SystemPropertyConfig.requireServerSettings(ctx);
            return new QspServerSocketFactory(ctx);
        } catch (QspConfigurationException e) {
            return new QspServerSocketFactory(e);
        }
    }

    /**
     * {@return the context this factory's sockets use}
     *
     * @throws QspConfigurationException if the context could not be built from the system properties
     */
    public QspContext getContext() throws QspConfigurationException {
        if (failure != null) {
            throw failure.reported();
        }
        return context;
    }

    /** An unbound server socket; bind it before accepting. */
    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new QspServerSocket(getContext());
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return new QspServerSocket(getContext(), port, 50, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return new QspServerSocket(getContext(), port, backlog, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return new QspServerSocket(getContext(), port, backlog, bindAddress);
    }
}
