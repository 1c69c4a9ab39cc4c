package dev.qsp.sockets;

import dev.qsp.keysources.KeySource;
import dev.qsp.keysources.qkd.QkdKeySource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Builds a {@link QspContext} from the {@code dev.qsp.*} system properties (SPEC.md §6.5), in the spirit of
 * {@code javax.net.ssl.keyStore} and friends. Every failure names the property at fault.
 */
final class SystemPropertyConfig {
    static final String PREFIX = "dev.qsp.";
    static final String KEY_STORE = "dev.qsp.keyStore";
    static final String KEY_STORE_PASSWORD = "dev.qsp.keyStorePassword";
    static final String KEY_STORE_TYPE = "dev.qsp.keyStoreType";
    static final String KEY_ALIAS = "dev.qsp.keyAlias";
    static final String TRUST_STORE = "dev.qsp.trustStore";
    static final String TRUST_STORE_PASSWORD = "dev.qsp.trustStorePassword";
    static final String TRUST_STORE_TYPE = "dev.qsp.trustStoreType";
    static final String PINNED_KEY = "dev.qsp.pinnedKey";
    static final String EXPECTED_IDENTITY = "dev.qsp.expectedIdentity";
    static final String SUITES = "dev.qsp.suites";
    static final String SIGNATURE_ALGORITHMS = "dev.qsp.signatureAlgorithms";
    static final String CLIENT_AUTH = "dev.qsp.clientAuth";
    static final String REKEY_RECORDS = "dev.qsp.rekey.records";
    static final String REKEY_BYTES = "dev.qsp.rekey.bytes";
    static final String REKEY_INTERVAL = "dev.qsp.rekey.interval";
    static final String REKEY_KIND = "dev.qsp.rekey.kind";
    static final String HANDSHAKE_TIMEOUT = "dev.qsp.handshakeTimeout";
    static final String DEFAULT_STORE_TYPE = "PKCS12";

    private SystemPropertyConfig() {}

    /** Prefix of the QKD key source's properties (SPEC.md §5.2); {@code qsp.qkd.kme.url} switches QKD on. */
    static final String QKD_PREFIX = "qsp.qkd.";
    static final String QKD_KME_URL = "qsp.qkd.kme.url";
    /** The same properties under the {@code dev.qsp.} prefix of the other settings: {@code dev.qsp.qkd.kme.url}... */
    static final String DEV_QKD_PREFIX = "dev.qsp.qkd.";

    /** The {@code dev.qsp.*} and {@code qsp.qkd.*} entries of {@code props}, sorted: the default factories' cache key. */
    static Map<String, String> snapshot(Properties props) {
        Map<String, String> out = new TreeMap<>();
        for (String name : props.stringPropertyNames()) {
            if (name.startsWith(PREFIX) || name.startsWith(QKD_PREFIX)) out.put(name, props.getProperty(name));
        }
        return out;
    }

    static QspContext load(Properties props) throws QspConfigurationException {
        return load(snapshot(props));
    }

    static QspContext load(Map<String, String> p) throws QspConfigurationException {
        QspContext.Builder b = QspContext.builder();
        String keyStore = get(p, KEY_STORE);
        if (keyStore != null) {
            KeyStore ks = loadStore(p, KEY_STORE, KEY_STORE_PASSWORD, KEY_STORE_TYPE, true);
            char[] pw = password(p, KEY_STORE_PASSWORD);
            String alias = get(p, KEY_ALIAS);
            try {
                if (alias != null && !ks.containsAlias(alias)) {
                    throw new QspConfigurationException(KEY_ALIAS, "no entry '" + alias + "' in " + keyStore);
                }
                b.identity(ks, pw, alias);
            } catch (UnrecoverableKeyException e) {
                throw new QspConfigurationException(KEY_STORE_PASSWORD, "cannot recover the private key of "
                        + keyStore + " (wrong password?)", e);
            } catch (IllegalArgumentException e) { // a key of no QSP signature scheme (§4.2)
                throw new QspConfigurationException(KEY_STORE, keyStore + ": " + e.getMessage(), e);
            } catch (GeneralSecurityException e) {
                String prop = alias != null ? KEY_ALIAS : KEY_STORE;
                throw new QspConfigurationException(prop, keyStore + ": " + e.getMessage(), e);
            } finally {
                if (pw != null) Arrays.fill(pw, '\0');
            }
        } else {
            for (String dependent : List.of(KEY_ALIAS, KEY_STORE_PASSWORD, KEY_STORE_TYPE)) {
                if (get(p, dependent) != null) {
                    throw new QspConfigurationException(KEY_STORE, "is not set, but " + dependent + " is");
                }
            }
        }
        String trustStore = get(p, TRUST_STORE);
        String pins = get(p, PINNED_KEY);
        if (trustStore != null && pins != null) {
            throw new QspConfigurationException(PINNED_KEY, "is set together with " + TRUST_STORE + ": choose one");
        }
        if (trustStore != null) {
            KeyStore ts = loadStore(p, TRUST_STORE, TRUST_STORE_PASSWORD, TRUST_STORE_TYPE, false);
            try {
                b.trustStore(ts);
            } catch (KeyStoreException e) {
                if (get(p, TRUST_STORE_PASSWORD) == null) {
                    // PKCS#12 opens without a password but hides its encrypted certificates
                    throw new QspConfigurationException(TRUST_STORE_PASSWORD, "is not set, and " + trustStore
                            + " shows no certificates without it", e);
                }
                throw new QspConfigurationException(TRUST_STORE, trustStore + ": " + e.getMessage(), e);
            }
        } else if (pins != null) {
            b.pinnedPeerKeys(parsePins(pins));
        }
        String expected = get(p, EXPECTED_IDENTITY);
        if (expected != null) b.expectedPeerIdentity(expected);
        List<String> suites = list(p, SUITES);
        if (!suites.isEmpty()) apply(SUITES, () -> b.suites(suites.toArray(String[]::new)));
        List<String> sigs = list(p, SIGNATURE_ALGORITHMS);
        if (!sigs.isEmpty()) apply(SIGNATURE_ALGORITHMS, () -> b.signatureAlgorithms(sigs.toArray(String[]::new)));
        String clientAuth = get(p, CLIENT_AUTH);
        if (clientAuth != null) b.clientAuth(parseClientAuth(clientAuth));
        Long records = longValue(p, REKEY_RECORDS);
        if (records != null) apply(REKEY_RECORDS, () -> b.rekeyAfterRecords(records));
        Long bytes = size(p, REKEY_BYTES);
        if (bytes != null) apply(REKEY_BYTES, () -> b.rekeyAfterBytes(bytes));
        Duration interval = duration(p, REKEY_INTERVAL);
        if (interval != null) apply(REKEY_INTERVAL, () -> b.rekeyInterval(interval));
        String kind = get(p, REKEY_KIND);
        if (kind != null) {
            switch (kind.toLowerCase(Locale.ROOT)) {
                case "ratchet" -> b.freshRekeys(false);
                case "fresh" -> b.freshRekeys(true);
                default -> throw new QspConfigurationException(REKEY_KIND, "'" + kind + "' is not one of ratchet, fresh");
            }
        }
        Duration hs = duration(p, HANDSHAKE_TIMEOUT);
        if (hs != null) apply(HANDSHAKE_TIMEOUT, () -> b.handshakeTimeout(hs));
        if (get(p, QKD_KME_URL) != null || get(p, DEV_QKD_PREFIX + "kme.url") != null) b.keySources(qkdSource(p));
        try {
            return b.build();
        } catch (IllegalStateException e) {
            throw new QspConfigurationException(CLIENT_AUTH, e.getMessage(), e);
        }
    }

    /**
     * The QKD key source of the {@code qsp.qkd.*} properties (SPEC.md §5.2), in addition to the hybrid KEM;
     * {@code dev.qsp.qkd.X} is accepted for {@code qsp.qkd.X}, and giving both with different values is an error.
     */
    private static KeySource qkdSource(Map<String, String> p) throws QspConfigurationException {
        Properties qkd = new Properties();
        p.forEach((k, v) -> {
            if (k.startsWith(QKD_PREFIX)) qkd.setProperty(k, v);
        });
        for (Map.Entry<String, String> e : p.entrySet()) {
            if (!e.getKey().startsWith(DEV_QKD_PREFIX)) continue;
            String name = e.getKey().substring("dev.".length());
            String other = qkd.getProperty(name);
            if (other != null && !other.strip().equals(e.getValue().strip())) {
                throw new QspConfigurationException(e.getKey(), "conflicts with " + name + " (give one of them)");
            }
            qkd.setProperty(name, e.getValue());
        }
        try {
            return QkdKeySource.fromProperties(qkd);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new QspConfigurationException(QKD_KME_URL, "is set, but the QKD key source cannot be built from "
                    + "the qsp.qkd.* properties: " + e.getMessage(), e);
        }
    }

    /** A client must verify its server: without trust there is nothing to check the server against. */
    static void requireClientSettings(QspContext ctx) throws QspConfigurationException {
        if (ctx.trust() == null) {
            throw new QspConfigurationException(TRUST_STORE, "is not set (nor " + PINNED_KEY
                    + "): a QSP client must verify the server it connects to");
        }
    }

    /** A server must prove who it is. */
    static void requireServerSettings(QspContext ctx) throws QspConfigurationException {
        if (ctx.identity() == null) {
            throw new QspConfigurationException(KEY_STORE, "is not set: a QSP server needs an identity "
                    + "(a PKCS#12 key store with an ML-DSA key, see " + KEY_ALIAS + ")");
        }
    }

    private static KeyStore loadStore(Map<String, String> p, String pathProp, String pwProp, String typeProp,
                                      boolean passwordRequired) throws QspConfigurationException {
        String path = get(p, pathProp);
        String type = get(p, typeProp);
        if (type == null) type = DEFAULT_STORE_TYPE;
        char[] pw = password(p, pwProp);
        if (pw == null && passwordRequired) {
            throw new QspConfigurationException(pwProp, "is not set (needed to open " + path + ")");
        }
        KeyStore ks;
        try {
            ks = KeyStore.getInstance(type);
        } catch (KeyStoreException e) {
            throw new QspConfigurationException(typeProp, "unknown key store type '" + type + "'", e);
        }
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            ks.load(in, pw);
            return ks;
        } catch (NoSuchFileException e) {
            throw new QspConfigurationException(pathProp, "file not found: " + path, e);
        } catch (IOException e) {
            if (pw == null) {
                throw new QspConfigurationException(pwProp, "is not set, and " + path + " cannot be read without it", e);
            }
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new QspConfigurationException(pwProp, "wrong password for " + path, e);
            }
            throw new QspConfigurationException(pathProp, "cannot read " + path + " as " + type + " ("
                    + e.getMessage() + "; wrong " + pwProp + " or " + typeProp + "?)", e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new QspConfigurationException(pathProp, "cannot load " + path + " as " + type + ": " + e, e);
        } finally {
            if (pw != null) Arrays.fill(pw, '\0');
        }
    }

    /** A pin is the SHA-256 of the peer's SubjectPublicKeyInfo: 64 hex digits (colons allowed) or base64. */
    static List<byte[]> parsePins(String value) throws QspConfigurationException {
        List<byte[]> out = new ArrayList<>();
        for (String raw : value.split(",")) {
            String s = raw.strip();
            if (s.regionMatches(true, 0, "sha256:", 0, 7)) s = s.substring(7);
            byte[] pin;
            String hex = s.replace(":", "");
            if (hex.length() == 64 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                pin = HexFormat.of().parseHex(hex);
            } else {
                try {
                    pin = Base64.getDecoder().decode(s);
                } catch (IllegalArgumentException e) {
                    pin = null;
                }
            }
            if (pin == null || pin.length != 32) {
                throw new QspConfigurationException(PINNED_KEY, "'" + s + "' is not a SHA-256 "
                        + "(64 hex digits or base64 of 32 bytes)");
            }
            out.add(pin);
        }
        return out;
    }

    private static QspContext.ClientAuth parseClientAuth(String v) throws QspConfigurationException {
        return switch (v.strip().toLowerCase(Locale.ROOT)) {
            case "none", "false" -> QspContext.ClientAuth.NONE;
            case "required", "need", "true" -> QspContext.ClientAuth.REQUIRED;
            default -> throw new QspConfigurationException(CLIENT_AUTH, "'" + v + "' is not one of none, required");
        };
    }

    /** Durations as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h} or ISO-8601 ({@code PT30S}). */
    static Duration duration(Map<String, String> p, String name) throws QspConfigurationException {
        String v = get(p, name);
        if (v == null) return null;
        String s = v.strip().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("pt") || s.startsWith("p")) return Duration.parse(s.toUpperCase(Locale.ROOT));
            if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).strip()));
            long n = Long.parseLong(s.substring(0, s.length() - 1).strip());
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new QspConfigurationException(name, "'" + v + "' is not a duration (e.g. 500ms, 30s, 5m, 1h, PT30S)");
        }
    }

    /** Sizes as a number of bytes with an optional K, M or G suffix (powers of 1024). */
    static Long size(Map<String, String> p, String name) throws QspConfigurationException {
        String v = get(p, name);
        if (v == null) return null;
        String s = v.strip().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
        long unit = 1;
        if (!s.isEmpty() && "KMG".indexOf(s.charAt(s.length() - 1)) >= 0) {
            unit = 1L << (10 * ("KMG".indexOf(s.charAt(s.length() - 1)) + 1));
            s = s.substring(0, s.length() - 1).strip();
        }
        try {
            long n = Long.parseLong(s);
            if (n < 0) throw new NumberFormatException();
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new QspConfigurationException(name, "'" + v + "' is not a size (e.g. 1048576, 64K, 16M, 1G)");
        }
    }

    private static Long longValue(Map<String, String> p, String name) throws QspConfigurationException {
        String v = get(p, name);
        if (v == null) return null;
        try {
            long n = Long.parseLong(v.strip());
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new QspConfigurationException(name, "'" + v + "' is not a non-negative integer");
        }
    }

    private static List<String> list(Map<String, String> p, String name) {
        String v = get(p, name);
        if (v == null) return List.of();
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) if (!s.isBlank()) out.add(s.strip());
        return out;
    }

    private static char[] password(Map<String, String> p, String name) {
        String v = p.get(name);
        return v == null ? null : v.toCharArray();
    }

    /** A property value, with blank treated as unset. */
    private static String get(Map<String, String> p, String name) {
        String v = p.get(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    private interface Setter {
        void run();
    }

    /** Runs a builder setter and turns its {@link IllegalArgumentException} into an error naming the property. */
    private static void apply(String name, Setter s) throws QspConfigurationException {
        try {
            s.run();
        } catch (IllegalArgumentException e) {
            throw new QspConfigurationException(name, e.getMessage(), e);
        }
    }
}
