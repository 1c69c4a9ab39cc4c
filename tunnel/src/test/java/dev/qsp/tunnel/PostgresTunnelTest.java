package dev.qsp.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real PostgreSQL (Debian's package) behind a server tunnel: the C client {@code psql}, which knows nothing of
 * QSP, through a client tunnel; pgjdbc straight to the server tunnel with {@code socketFactory=
 * dev.qsp.sockets.QspSocketFactory}; a plain psql to the server tunnel is refused.
 */
class PostgresTunnelTest {
    /** About 3.9 MB of text: 100,000 rows of a number and its MD5. */
    static final String BIG_QUERY = "SELECT i, md5(i::text) FROM generate_series(1, 100000) AS i ORDER BY i";

    @TempDir
    static Path dir;
    static PostgresCluster pg;

    @BeforeAll
    static void startPostgres() throws Exception {
        Path bin = PostgresCluster.findBinaries();
        Assumptions.assumeTrue(bin != null, "PostgreSQL server binaries (initdb, pg_ctl, psql) not found under "
                + "/usr/lib/postgresql/*/bin: install Debian's postgresql package (.ci/run does)");
        pg = PostgresCluster.start(bin);
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (pg != null) pg.close();
    }

    /** psql's output and exit code for {@code query} against 127.0.0.1:{@code port}. */
    private static Result psql(int port, String query) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(pg.psql().toString(), "-X", "-A", "-t", "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", query));
        ProcessBuilder b = new ProcessBuilder(cmd);
        b.environment().put("PGSSLMODE", "disable");
        b.environment().put("PGCONNECT_TIMEOUT", "30");
        Path err = dir.resolve("psql-" + System.nanoTime() + ".err");
        b.redirectError(err.toFile());
        Process p = b.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(PostgresCluster.TIMEOUT_SECONDS, TimeUnit.SECONDS), "psql finished");
        return new Result(p.exitValue(), out, java.nio.file.Files.readString(err));
    }

    record Result(int exit, byte[] out, String err) {}

    @Test
    void psqlThroughClientAndServerTunnelsFetchesTheSameMegabytesAsDirect() throws Exception {
        Result direct = psql(pg.port, BIG_QUERY);
        assertEquals(0, direct.exit(), direct.err());
        assertTrue(direct.out().length > 3_000_000, "a multi-megabyte result: " + direct.out().length);
        try (TunnelFixture f = new TunnelFixture(dir.resolve("a"), pg.port, Map.of("dev.qsp.rekey.records", "64"))) {
            Result tunnelled = psql(f.clientPort(), BIG_QUERY);
            assertEquals(0, tunnelled.exit(), tunnelled.err());
            assertEquals(direct.out().length, tunnelled.out().length);
            assertTrue(java.util.Arrays.equals(direct.out(), tunnelled.out()), "identical bytes through the tunnels");
            String line = f.awaitLine("(QSP) -> 127.0.0.1:" + pg.port);
            assertTrue(line.contains("ended cleanly"), line);
            assertTrue(Long.parseLong(line.replaceAll(".*rekeys (\\d+).*", "$1")) > 0, line);
        }
    }

    @Test
    void pgjdbcWithTheQspSocketFactoryTalksToTheServerTunnel() throws Exception {
        Properties saved = (Properties) System.getProperties().clone();
        try (TunnelFixture f = new TunnelFixture(dir.resolve("b"), pg.port, Map.of())) {
            TunnelFixture.clientProps(dir.resolve("b")).forEach(System::setProperty);
            String url = "jdbc:postgresql://127.0.0.1:" + f.serverPort()
                    + "/postgres?user=postgres&sslmode=disable&socketFactory=dev.qsp.sockets.QspSocketFactory";
            String viaQsp = digestOfBigQuery(url);
            String direct = digestOfBigQuery("jdbc:postgresql://127.0.0.1:" + pg.port + "/postgres?user=postgres&sslmode=disable");
            assertEquals(direct, viaQsp);
            String line = f.awaitLine("(QSP) -> 127.0.0.1:" + pg.port);
            assertTrue(line.contains("suite AES-256-GCM"), line);
        } finally {
            System.setProperties(saved);
        }
    }

    /** SHA-256 over every row of {@link #BIG_QUERY} as pgjdbc returns them, and the server's own session check. */
    private static String digestOfBigQuery(String url) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            long rows = 0;
            try (ResultSet rs = s.executeQuery(BIG_QUERY)) {
                while (rs.next()) {
                    md.update((rs.getLong(1) + "|" + rs.getString(2) + "\n").getBytes(StandardCharsets.UTF_8));
                    rows++;
                }
            }
            assertEquals(100_000, rows);
            try (ResultSet rs = s.executeQuery("SELECT inet_server_addr()::text")) {
                assertTrue(rs.next());
                assertEquals("127.0.0.1/32", rs.getString(1));
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void plainPsqlToTheServerTunnelIsRefused() throws Exception {
        try (TunnelFixture f = new TunnelFixture(dir.resolve("c"), pg.port, Map.of())) {
            Result r = psql(f.serverPort(), "SELECT 1");
            assertNotEquals(0, r.exit(), "psql without QSP does not get through: " + r.err());
            assertEquals(0, r.out().length);
            String line = f.awaitLine("no handshake");
            assertTrue(line.contains("QSP leg:"), line);
        }
    }
}
