package dev.qsp.sockets;

import dev.qsp.keysources.qkd.KmeStats;
import dev.qsp.sockets.observe.QspContextMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The counters of one context and their MBean {@code dev.qsp:type=Context,name=…} (SPEC.md §6.6). Registered
 * when the context makes its first connection, so contexts that never connect leave nothing behind; a name
 * already taken gets a {@code -2}, {@code -3}, … suffix. Holds the key sources' {@link KmeStats}, never the key
 * sources or the context.
 */
final class ContextMetrics implements QspContextMXBean {
    private static final AtomicLong UNNAMED = new AtomicLong();

    private final String requestedName;
    private final List<KmeStats> kme;
    private volatile String name;
    private volatile ObjectName objectName;
    final LongAdder handshakesCompleted = new LongAdder();
    final LongAdder handshakesFailed = new LongAdder();
    final LongAdder open = new LongAdder();
    final LongAdder ratchets = new LongAdder();
    final LongAdder fresh = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
    private final Map<String, LongAdder> handshakeFailures = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> connectionFailures = new ConcurrentHashMap<>();

    ContextMetrics(String requestedName, List<KmeStats> kme) {
        this.requestedName = requestedName != null ? requestedName : "context-" + UNNAMED.incrementAndGet();
        this.kme = List.copyOf(kme);
    }

    /** Set once registration was tried and failed: the counters go on, unregistered. */
    private volatile boolean failed;

    /**
     * Registers the MBean once (the first connection calls this). A JMX failure (e.g. a security manager's
     * refusal) is a warning on {@code dev.qsp}: observation must never stop a connection.
     */
    void registerOnce() {
        if (objectName != null || failed) return;
        synchronized (this) {
            if (objectName != null || failed) return;
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            for (int i = 1; i < 1000; i++) {
                String n = i == 1 ? requestedName : requestedName + "-" + i;
                try {
                    ObjectName on = new ObjectName("dev.qsp", props(n));
                    server.registerMBean(this, on);
                    name = n;
                    objectName = on;
                    return;
                } catch (InstanceAlreadyExistsException e) {
                    // taken by another context: try the next suffix
                } catch (JMException | RuntimeException e) {
                    warn("cannot register the QSP context MBean '" + n + "': " + e);
                    return;
                }
            }
            warn("cannot register the QSP context MBean: 999 contexts are named '" + requestedName + "'");
        }
    }

    private void warn(String message) {
        failed = true;
        System.getLogger("dev.qsp").log(System.Logger.Level.WARNING, message + "; its counters are not visible in JMX");
    }

    private static java.util.Hashtable<String, String> props(String n) {
        java.util.Hashtable<String, String> t = new java.util.Hashtable<>();
        t.put("type", "Context");
        t.put("name", n.matches("[A-Za-z0-9._-]+") ? n : ObjectName.quote(n));
        return t;
    }

    /** The registered name, or null before the first connection. */
    ObjectName objectName() { return objectName; }

    void handshakeFailed(String key) {
        handshakesFailed.increment();
        handshakeFailures.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    void connectionFailed(String key) {
        connectionFailures.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override public String getName() { return name != null ? name : requestedName; }
    @Override public long getHandshakesCompleted() { return handshakesCompleted.sum(); }
    @Override public long getHandshakesFailed() { return handshakesFailed.sum(); }
    @Override public Map<String, Long> getHandshakeFailuresByCode() { return snapshot(handshakeFailures); }
    @Override public long getOpenConnections() { return open.sum(); }
    @Override public Map<String, Long> getConnectionFailuresByCode() { return snapshot(connectionFailures); }
    @Override public long getRatchetRekeys() { return ratchets.sum(); }
    @Override public long getFreshRekeys() { return fresh.sum(); }
    @Override public long getBytesSent() { return bytesSent.sum(); }
    @Override public long getBytesReceived() { return bytesReceived.sum(); }

    @Override
    public long getKmeRequests() {
        long n = 0;
        for (KmeStats s : kme) n += s.requests();
        return n;
    }

    @Override
    public long getKmeFailures() {
        long n = 0;
        for (KmeStats s : kme) n += s.failures();
        return n;
    }
}
