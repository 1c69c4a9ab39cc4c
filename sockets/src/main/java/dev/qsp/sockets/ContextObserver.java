package dev.qsp.sockets;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.qkd.KmeStats;
import dev.qsp.keysources.qkd.QkdKeySource;
import java.util.ArrayList;
import java.util.List;

/**
 * What one context observes (SPEC.md §6.6): the debug categories and their loggers, its counters (MBean) and the
 * key log, all settled when the context is built ({@code dev.qsp.debug} and {@code dev.qsp.keyLogFile} are read
 * then, once). Each connection gets its own {@link ConnectionObserver}.
 */
final class ContextObserver {
    final DebugFlags flags;
    /** The loggers of the enabled categories; null for a disabled one (SPEC.md §6.6 names them). */
    final System.Logger handshakeLog;
    final System.Logger rekeyLog;
    final System.Logger recordLog;
    final System.Logger keySourceLog;
    final ContextMetrics metrics;
    final KeyLogFile keyLog;

    ContextObserver(DebugFlags flags, ContextMetrics metrics, KeyLogFile keyLog) {
        this.flags = flags;
        this.handshakeLog = flags.handshake() ? System.getLogger("dev.qsp.handshake") : null;
        this.rekeyLog = flags.rekey() ? System.getLogger("dev.qsp.rekey") : null;
        this.recordLog = flags.record() ? System.getLogger("dev.qsp.record") : null;
        this.keySourceLog = flags.keysource() ? System.getLogger("dev.qsp.keysource") : null;
        this.metrics = metrics;
        this.keyLog = keyLog;
    }

    /** From the system properties; a bad {@code dev.qsp.debug} value is reported as a warning and turns debugging off. */
    static ContextObserver fromSystemProperties(String name, List<KeySource> keySources) {
        DebugFlags flags;
        try {
            flags = DebugFlags.parse(System.getProperty(DebugFlags.PROPERTY));
        } catch (IllegalArgumentException e) {
            System.getLogger("dev.qsp").log(System.Logger.Level.WARNING, e.getMessage() + "; debug logging is off");
            flags = DebugFlags.OFF;
        }
        List<KmeStats> kme = new ArrayList<>();
        for (KeySource s : keySources) if (s instanceof QkdKeySource q) kme.add(q.client().stats());
        return new ContextObserver(flags, new ContextMetrics(name, kme), KeyLogFile.fromSystemProperty());
    }

    /** The observer of a new connection; the context's MBean is registered with the first. */
    ConnectionObserver connection() {
        metrics.registerOnce();
        return new ConnectionObserver(this);
    }

}
