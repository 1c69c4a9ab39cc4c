package dev.qsp.sockets;

import dev.qsp.sockets.engine.AeadSuite;
import dev.qsp.sockets.engine.TrafficKeyLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;

/**
 * The key log of {@code -Ddev.qsp.keyLogFile=PATH} (SPEC.md §4.17): one line per traffic key, appended and flushed
 * as each key is installed, so that Wireshark with {@code contrib/wireshark/qsp.lua} (or any tool that follows
 * §4.17) can decrypt the captured connections. One writer per file for the whole JVM; a new file is created
 * readable by its owner only (where the file system has POSIX permissions). Opening it logs a warning on the
 * {@code dev.qsp.keylog} logger: whoever reads the file can decrypt every connection logged in it.
 */
final class KeyLogFile implements TrafficKeyLog {
    static final String PROPERTY = "dev.qsp.keyLogFile";
    private static final Map<Path, KeyLogFile> OPEN = new ConcurrentHashMap<>();
    private static final HexFormat HEX = HexFormat.of();

    private final Path path;
    private final Writer out;

    private KeyLogFile(Path path, Writer out) {
        this.path = path;
        this.out = out;
    }

    /**
     * The key log of {@code dev.qsp.keyLogFile}, or null when the property is not set (the default). A file that
     * cannot be opened is a warning on {@code dev.qsp.keylog} and no key log: a debugging aid never stops a context.
     */
    static KeyLogFile fromSystemProperty() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) return null;
        try {
            return of(Path.of(p));
        } catch (UncheckedIOException | java.nio.file.InvalidPathException e) {
            System.getLogger("dev.qsp.keylog").log(System.Logger.Level.WARNING, e.getMessage() + "; no key log is written");
            return null;
        }
    }

    /**
     * The writer for {@code file}, opened (appending) on first use.
     *
     * @throws UncheckedIOException naming the file if it cannot be opened
     */
    static KeyLogFile of(Path file) {
        return OPEN.computeIfAbsent(file.toAbsolutePath().normalize(), KeyLogFile::open);
    }

    private static KeyLogFile open(Path path) {
        try {
            try {
                Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(path);
            } catch (FileAlreadyExistsException e) {
                // appended to, as SSLKEYLOGFILE is
            }
            Writer w = Files.newBufferedWriter(path, StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
            System.getLogger("dev.qsp.keylog").log(System.Logger.Level.WARNING, PROPERTY + " is set: the traffic keys of "
                    + "every QSP connection of this JVM are written to " + path + "; anyone who can read that file can "
                    + "decrypt those connections. Use it for debugging only (SPEC.md 4.17).");
            return new KeyLogFile(path, w);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the QSP key log " + path + " (" + PROPERTY + "): " + e.getMessage(), e);
        }
    }

    Path path() { return path; }

    /** {@code QSP_TRAFFIC_KEY <client_random> <epoch> <C2S|S2C> <AEAD> <key>}, SPEC.md §4.17. */
    static String line(byte[] clientRandom, int epoch, boolean clientToServer, AeadSuite suite, byte[] key) {
        return "QSP_TRAFFIC_KEY " + HEX.formatHex(clientRandom) + " " + Integer.toUnsignedString(epoch) + " "
                + (clientToServer ? "C2S" : "S2C") + " " + suite.displayName() + " " + HEX.formatHex(key);
    }

    @Override
    public void trafficKey(byte[] clientRandom, int epoch, boolean clientToServer, AeadSuite suite, SecretKey key) {
        byte[] raw = key.getEncoded();
        if (raw == null) return; // a key that cannot be exported (e.g. a hardware token's) cannot be logged
        try {
            String l = line(clientRandom, epoch, clientToServer, suite, raw);
            synchronized (this) {
                out.write(l);
                out.write('\n');
                out.flush();
            }
        } catch (IOException e) {
            // A debugging aid must not break the connection: report once per failure, without the key.
            System.getLogger("dev.qsp.keylog").log(System.Logger.Level.WARNING, "cannot write the QSP key log " + path
                    + ": " + e.getMessage());
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }
}
