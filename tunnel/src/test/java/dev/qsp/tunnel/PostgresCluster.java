package dev.qsp.tunnel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster from Debian's packages: initdb into a temporary directory, pg_ctl start on a
 * free loopback port (listen 127.0.0.1 only, trust authentication for user postgres), stopped and deleted on
 * close. Run as the {@code postgres} OS user when the tests run as root (the server refuses to run as root).
 */
final class PostgresCluster implements AutoCloseable {
    static final long TIMEOUT_SECONDS = 120;

    final Path bin;
    final Path dir;
    final Path data;
    final int port;
    private final boolean asPostgresUser;

    private PostgresCluster(Path bin) throws Exception {
        this.bin = bin;
        this.asPostgresUser = "root".equals(System.getProperty("user.name"));
        this.dir = Files.createTempDirectory("qsp-pg-");
        this.data = dir.resolve("data");
        if (asPostgresUser) {
            UserPrincipal pg = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(dir, pg);
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--no-sync", "--no-instructions"));
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(), "-w",
                "-t", "60", "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir
                        + " -c fsync=off", "start"));
    }

    /** The server binaries of the newest installed PostgreSQL, or null if there are none. */
    static Path findBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return null;
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl"))
                            && Files.isExecutable(b.resolve("psql")))
                    .max(Comparator.comparing(Path::toString)).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    static PostgresCluster start(Path bin) throws Exception {
        return new PostgresCluster(bin);
    }

    Path psql() { return bin.resolve("psql"); }

    /** Runs {@code cmd} (as postgres when root) and returns its output; fails with the output if it fails. */
    private String run(List<String> cmd) throws Exception {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(cmd);
        Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd.getFirst() + " did not finish: " + out);
        }
        if (p.exitValue() != 0) {
            String log = Files.exists(dir.resolve("log")) ? Files.readString(dir.resolve("log")) : "";
            throw new IOException(cmd.getFirst() + " failed (exit " + p.exitValue() + "): " + out + log);
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }
}
