package dev.qsp.sockets;

import java.util.Map;

/**
 * The default factories of {@link QspSocketFactory#getDefault()} and {@link QspServerSocketFactory#getDefault()}:
 * rebuilt only when the {@code dev.qsp.*} system properties change, so that a program calling
 * {@code getDefault()} per connection (as JNDI does) does not reload its key stores each time.
 */
final class DefaultContexts {
    private record Cached<T>(Map<String, String> key, T factory) {}

    private static volatile Cached<QspSocketFactory> client;
    private static volatile Cached<QspServerSocketFactory> server;

    private DefaultContexts() {}

    static QspSocketFactory clientFactory() {
        Map<String, String> key = SystemPropertyConfig.snapshot(System.getProperties());
        Cached<QspSocketFactory> c = client;
        if (c == null || !c.key().equals(key)) {
            c = new Cached<>(key, QspSocketFactory.fromSystemProperties(key));
            client = c;
        }
        return c.factory();
    }

    static QspServerSocketFactory serverFactory() {
        Map<String, String> key = SystemPropertyConfig.snapshot(System.getProperties());
        Cached<QspServerSocketFactory> c = server;
        if (c == null || !c.key().equals(key)) {
            c = new Cached<>(key, QspServerSocketFactory.fromSystemProperties(key));
            server = c;
        }
        return c.factory();
    }
}
