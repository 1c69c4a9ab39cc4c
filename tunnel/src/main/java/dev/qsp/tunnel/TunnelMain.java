package dev.qsp.tunnel;

import dev.qsp.samples.DevIdentity;
import dev.qsp.sockets.QspConfigurationException;
import dev.qsp.sockets.QspContext;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./qsp tunnel}: stunnel's job with QSP (SPEC.md §6.8).
 *
 * <pre>
 * ./qsp tunnel server --accept 127.0.0.1:15432 --connect 127.0.0.1:5432   # QSP in, plaintext TCP to the service
 * ./qsp tunnel client --accept 127.0.0.1:5433 --connect 127.0.0.1:15432   # plaintext TCP in, QSP out
 * ./qsp tunnel --config tunnel.conf                                       # several services, stunnel-style
 * </pre>
 *
 * QSP is configured by the {@code dev.qsp.*} and {@code qsp.qkd.*} system properties (-D before the options), or
 * per service in the config file; with neither, both ends use the development identity and trust of
 * {@code ./qsp demo}. Stops cleanly on SIGTERM (every QSP leg sends its CLOSE).
 */
@Command(name = "tunnel", mixinStandardHelpOptions = true, version = "qsp tunnel 0.1.0",
        description = "QSP in front of any TCP service (server), or plaintext TCP into QSP (client).",
        subcommands = {TunnelMain.ServerCommand.class, TunnelMain.ClientCommand.class})
public final class TunnelMain implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Services from FILE: [name] sections with mode, accept, connect and dev.qsp.*/qsp.qkd.* keys; "
                    + "keys before the first section apply to every service.")
    Path config;

    PrintStream out = System.out;
    /** Counted down when the tunnel has stopped (tests stop it through {@link #stop()}). */
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Tunnel running;

    /**
     * A command with no options parsed yet; {@link #main} parses the command line into it with picocli.
     */
    public TunnelMain() {}

    /**
     * Runs {@code ./qsp tunnel}: parses {@code args}, runs the tunnel until SIGTERM, and exits with status 2 on a
     * bad option or configuration mistake (one line on standard error, naming it).
     *
     * @param args the command line ({@code server}, {@code client} or {@code --config FILE}; {@code --help})
     */
    public static void main(String[] args) {
        CommandLine cmd = new CommandLine(new TunnelMain());
        // configuration mistakes are one line naming what is wrong, not a stack trace
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("qsp tunnel: " + ex.getMessage());
            return 2;
        });
        int rc = cmd.execute(args);
        if (rc != 0) System.exit(rc);
    }

    @Override
    public Integer call() throws Exception {
        if (config == null) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "give a mode (server or client) with --accept and --connect, or --config FILE");
        }
        return run(TunnelConfig.parse(config, systemQspProperties()));
    }

    /** Starts {@code services}, waits for SIGTERM (or {@link #stop()}), stops them. */
    int run(List<Service> services) throws InterruptedException {
        Tunnel t = Tunnel.start(services, out);
        running = t;
        Thread hook = new Thread(() -> {
            out.println("tunnel: stopping (closing every connection)");
            stop();
        }, "qsp-tunnel-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("tunnel: running; stop with SIGTERM or Ctrl-C");
        stopped.await();
        return 0;
    }

    /** Stops the running tunnel and lets {@link #run} return. */
    void stop() {
        Tunnel t = running;
        try {
            if (t != null) t.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            out.println("tunnel: stopped");
            stopped.countDown();
        }
    }

    Tunnel running() { return running; }

    /** The {@code dev.qsp.*} and {@code qsp.qkd.*} system properties. */
    static Map<String, String> systemQspProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("dev.qsp.") || k.startsWith("qsp.qkd.")) m.put(k, System.getProperty(k));
        }
        return m;
    }

    /**
     * The QSP context of a service from {@code props}; where they name no identity, trust or pinned key, the
     * development identity and trust of {@code ./qsp demo} (generated on first use in ~/.qsp/dev), so that the two
     * commands work on one machine as they are.
     */
    static QspContext context(Service.Mode mode, Map<String, String> props, PrintStream log)
            throws QspConfigurationException {
        Map<String, String> p = new LinkedHashMap<>(props);
        boolean configured = p.containsKey("dev.qsp.keyStore") || p.containsKey("dev.qsp.trustStore")
                || p.containsKey("dev.qsp.pinnedKey");
        if (!configured) {
            DevIdentity dev;
            try {
                dev = DevIdentity.ensure(DevIdentity.defaultDirectory(), log);
            } catch (IOException e) {
                throw new QspConfigurationException("dev.qsp.keyStore",
                        "is not set and the development identity could not be made: " + e.getMessage(), e);
            }
            if (mode == Service.Mode.SERVER) {
                p.put("dev.qsp.keyStore", dev.serverKeyStore().toString());
                p.put("dev.qsp.keyStorePassword", DevIdentity.PASSWORD);
            }
            p.put("dev.qsp.trustStore", dev.trustStore().toString());
            p.put("dev.qsp.trustStorePassword", DevIdentity.PASSWORD);
        }
        return QspContext.fromProperties(p, mode == Service.Mode.SERVER ? "server" : "client");
    }

    /** What both modes take on the command line. */
    abstract static class ModeCommand implements Callable<Integer> {
        @ParentCommand
        TunnelMain parent;

        @Option(names = "--accept", required = true, paramLabel = "HOST:PORT", description = "Where to listen.")
        String accept;

        @Option(names = "--connect", required = true, paramLabel = "HOST:PORT", description = "Where to connect.")
        String connect;

        @Option(names = "--name", defaultValue = "tunnel", description = "Name in the log lines (default: ${DEFAULT-VALUE}).")
        String name;

        abstract Service.Mode mode();

        @Override
        public Integer call() throws Exception {
            Map<String, String> props = systemQspProperties();
            Service s = TunnelConfig.service(name, mode(), Service.address("--accept", accept),
                    Service.address("--connect", connect), props, parent.out);
            return parent.run(List.of(s));
        }
    }

    @Command(name = "server", mixinStandardHelpOptions = true,
            description = "Accept QSP on --accept and forward the plaintext over TCP to the service at --connect.")
    static final class ServerCommand extends ModeCommand {
        @Override
        Service.Mode mode() { return Service.Mode.SERVER; }
    }

    @Command(name = "client", mixinStandardHelpOptions = true,
            description = "Accept plaintext TCP on --accept and connect with QSP to the server tunnel at --connect.")
    static final class ClientCommand extends ModeCommand {
        @Override
        Service.Mode mode() { return Service.Mode.CLIENT; }
    }

    /** The stunnel-style configuration file. */
    static final class TunnelConfig {
        private TunnelConfig() {}

        static Service service(String name, Service.Mode mode, InetSocketAddress accept, InetSocketAddress connect,
                               Map<String, String> props, PrintStream log) throws QspConfigurationException {
            QspContext ctx = context(mode, props, log);
            String peerHost = mode == Service.Mode.CLIENT ? connect.getHostString() : null;
            return new Service(name, mode, accept, connect, ctx, peerHost);
        }

        /**
         * Parses {@code file}: {@code key = value} lines, {@code #} or {@code ;} comments, {@code [name]} sections.
         * Keys before the first section (and the system properties, which they override) apply to every service.
         * A section needs {@code mode} ({@code server} or {@code client}), {@code accept} and {@code connect}.
         *
         * @throws IllegalArgumentException naming the file, line and what is wrong
         */
        static List<Service> parse(Path file, Map<String, String> base) throws IOException, QspConfigurationException {
            Map<String, String> global = new LinkedHashMap<>(base);
            Map<String, Map<String, String>> sections = new LinkedHashMap<>();
            Map<String, String> current = global;
            int n = 0;
            for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                n++;
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
                if (line.startsWith("[")) {
                    if (!line.endsWith("]") || line.length() < 3) throw bad(file, n, "a section header is [name]");
                    String name = line.substring(1, line.length() - 1).strip();
                    if (sections.containsKey(name)) throw bad(file, n, "section [" + name + "] given twice");
                    current = new LinkedHashMap<>();
                    sections.put(name, current);
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq <= 0) throw bad(file, n, "expected key = value");
                String key = line.substring(0, eq).strip();
                String value = line.substring(eq + 1).strip();
                boolean known = key.startsWith("dev.qsp.") || key.startsWith("qsp.qkd.")
                        || (current != global && List.of("mode", "accept", "connect").contains(key));
                if (!known) throw bad(file, n, "unknown key '" + key + "' (mode, accept, connect, dev.qsp.*, qsp.qkd.*)");
                current.put(key, value);
            }
            if (sections.isEmpty()) throw bad(file, n, "no [service] section");
            List<Service> out = new ArrayList<>();
            for (Map.Entry<String, Map<String, String>> e : sections.entrySet()) {
                Map<String, String> sec = e.getValue();
                String where = file + " [" + e.getKey() + "]";
                String mode = required(sec, "mode", where);
                Service.Mode m;
                try {
                    m = Service.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException x) {
                    throw new IllegalArgumentException(where + ": mode must be server or client, got '" + mode + "'");
                }
                Map<String, String> props = new LinkedHashMap<>(global);
                sec.forEach((k, v) -> {
                    if (!List.of("mode", "accept", "connect").contains(k)) props.put(k, v);
                });
                out.add(service(e.getKey(), m, Service.address(where + " accept", required(sec, "accept", where)),
                        Service.address(where + " connect", required(sec, "connect", where)), props, System.out));
            }
            return out;
        }

        private static String required(Map<String, String> sec, String key, String where) {
            String v = sec.get(key);
            if (v == null || v.isBlank()) throw new IllegalArgumentException(where + ": '" + key + "' is missing");
            return v;
        }

        private static IllegalArgumentException bad(Path file, int line, String what) {
            return new IllegalArgumentException(file + ":" + line + ": " + what);
        }
    }
}
