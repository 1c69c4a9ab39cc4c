package dev.qsp.keysources.qkd;

import dev.qsp.keysources.qkd.QkdException.Reason;
import dev.qsp.keysources.qkd.json.ErrorBody;
import dev.qsp.keysources.qkd.json.Etsi014Json;
import dev.qsp.keysources.qkd.json.KeyContainer;
import dev.qsp.keysources.qkd.json.KeyEntry;
import dev.qsp.keysources.qkd.json.KeyIdEntry;
import dev.qsp.keysources.qkd.json.KeyIds;
import dev.qsp.keysources.qkd.json.KeyRequest;
import dev.qsp.keysources.qkd.json.KmeStatus;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * A client of one KME for one SAE, per ETSI GS QKD 014 v1.1.1 §5: Get status, Get key (enc_keys, as master) and
 * Get key with key IDs (dec_keys, as slave). Thread-safe.
 *
 * <p>Retries (SPEC.md §5.2): a call is repeated, up to {@code maxAttempts} in all, only when it cannot have
 * reached the KME (connection refused, connect timeout) or, for status and enc_keys, on HTTP 503. A dec_keys
 * that got any answer, or may have reached the KME, is never repeated: a KME delivers a key once, so a second
 * dec_keys would at best fail and at worst hide a replay. Every key ID passed to {@link #decKey} is remembered
 * (the last {@link #REMEMBERED_KEY_IDS}) and refused if seen again.
 */
public final class QkdClient implements AutoCloseable {
    /** How many dec_keys key IDs are remembered to refuse replays. */
    public static final int REMEMBERED_KEY_IDS = 65_536;

    private final URI base;
    private final String saeId;
    private final KmeTransport transport;
    private final int maxAttempts;
    private final Duration retryDelay;
    /** Requests and failures, JFR events and debug lines (SPEC.md §6.6). */
    private final KmeStats stats = new KmeStats();
    private final Map<String, Boolean> consumed = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_KEY_IDS;
        }
    };

    /**
     * A client of one KME for one SAE.
     *
     * @param kmeBase     the KME's base URL, e.g. {@code https://kme-a.example:8443} (the client appends
     *                    {@code /api/v1/keys/...})
     * @param saeId       this SAE's ID, as the KME knows it from the client certificate
     * @param transport   how requests reach the KME (HTTPS with mutual TLS: {@link HttpClientTransport})
     * @param maxAttempts 1 to 10 attempts per call
     * @param retryDelay  pause between attempts (zero in tests)
     */
    public QkdClient(URI kmeBase, String saeId, KmeTransport transport, int maxAttempts, Duration retryDelay) {
        QkdJson.requireJackson(); // optional dependency: fail here, naming it, not at the first key request
        if (kmeBase == null || !"https".equalsIgnoreCase(kmeBase.getScheme()) || kmeBase.getHost() == null) {
            throw new IllegalArgumentException("KME URL must be an https URL, got " + kmeBase);
        }
        if (maxAttempts < 1 || maxAttempts > 10) {
            throw new IllegalArgumentException("maxAttempts must be 1..10, got " + maxAttempts);
        }
        String s = kmeBase.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.saeId = SaeIds.requireSaeId(saeId, "own SAE ID");
        this.transport = Objects.requireNonNull(transport);
        this.maxAttempts = maxAttempts;
        this.retryDelay = Objects.requireNonNull(retryDelay);
    }

    /** {@return this SAE's ID} */
    public String saeId() {
        return saeId;
    }

    /** {@return this client's KME request counters (SPEC.md §6.6)} */
    public KmeStats stats() {
        return stats;
    }

    /** {@return the KME's base URL, without a trailing slash} */
    public URI kmeBase() {
        return base;
    }

    /**
     * {@return the answer of {@code GET /api/v1/keys/{slave_SAE_ID}/status}, checked: every field present,
     * {@code master_SAE_ID} is this SAE and {@code slave_SAE_ID} the one asked for, sizes consistent}
     *
     * @param slaveSaeId the peer SAE
     * @throws QkdException if the KME cannot be reached, refuses, or answers something malformed
     */
    public KmeStatus status(String slaveSaeId) throws QkdException {
        SaeIds.requireSaeId(slaveSaeId, "slave SAE ID");
        KmeTransport.KmeHttpResponse r = call(Call.STATUS, "GET", uri(slaveSaeId, "status"), null);
        try {
            KmeStatus st = parse(r, KmeStatus.class, Call.STATUS);
            if (st.sourceKmeId() == null || st.targetKmeId() == null || st.masterSaeId() == null
                    || st.slaveSaeId() == null || st.keySize() == null || st.storedKeyCount() == null
                    || st.maxKeyCount() == null || st.maxKeyPerRequest() == null || st.maxKeySize() == null
                    || st.minKeySize() == null) {
                throw new QkdException(Reason.MALFORMED_RESPONSE, "status response lacks a mandatory field: " + st);
            }
            if (!saeId.equals(st.masterSaeId()) || !slaveSaeId.equals(st.slaveSaeId())) {
                throw new QkdException(Reason.SAE_MISMATCH, "KME status is for master " + quote(st.masterSaeId())
                        + " / slave " + quote(st.slaveSaeId()) + ", expected " + saeId + " / " + slaveSaeId);
            }
            if (st.minKeySize() < 1 || st.minKeySize() > st.maxKeySize() || st.storedKeyCount() < 0) {
                throw new QkdException(Reason.MALFORMED_RESPONSE, "inconsistent status: min_key_size "
                        + st.minKeySize() + ", max_key_size " + st.maxKeySize() + ", stored_key_count " + st.storedKeyCount());
            }
            return st;
        } finally {
            r.destroy();
        }
    }

    /**
     * {@return the key of {@code POST /api/v1/keys/{slave_SAE_ID}/enc_keys} for one key of {@code sizeBits}: this SAE
     * is master} The answer must hold exactly one key with a UUID key ID and exactly {@code sizeBits / 8} bytes.
     *
     * @param slaveSaeId the peer SAE
     * @param sizeBits   the key size in bits
     * @throws QkdException if the KME cannot be reached, refuses, or answers something malformed
     */
    public QkdKey encKey(String slaveSaeId, int sizeBits) throws QkdException {
        SaeIds.requireSaeId(slaveSaeId, "slave SAE ID");
        requireSize(sizeBits);
        byte[] body = Etsi014Json.write(new KeyRequest(1, sizeBits, null));
        KmeTransport.KmeHttpResponse r = call(Call.ENC_KEYS, "POST", uri(slaveSaeId, "enc_keys"), body);
        return oneKey(r, Call.ENC_KEYS, null, sizeBits);
    }

    /**
     * {@return the key of {@code POST /api/v1/keys/{master_SAE_ID}/dec_keys} for one key ID: this SAE is slave}
     * Refused without a request if this client already asked for that key ID (a replayed offer).
     *
     * @param masterSaeId the peer SAE, which drew the key
     * @param keyId       the key ID from the peer's offer
     * @param sizeBits    the key size in bits
     * @throws QkdException if the key ID was asked for before, or the KME cannot be reached, refuses, or answers
     *                      something malformed
     */
    public QkdKey decKey(String masterSaeId, String keyId, int sizeBits) throws QkdException {
        SaeIds.requireSaeId(masterSaeId, "master SAE ID");
        requireSize(sizeBits);
        if (!SaeIds.isKeyId(keyId)) {
            throw new QkdException(Reason.MALFORMED_OFFER, "key ID is not a UUID: \"" + SaeIds.printable(keyId) + "\"");
        }
        synchronized (consumed) {
            if (consumed.putIfAbsent(keyId.toLowerCase(java.util.Locale.ROOT), Boolean.TRUE) != null) {
                throw new QkdException(Reason.KEY_ID_REPLAYED, "dec_keys was already sent for key ID " + keyId
                        + "; a key is delivered once, so this offer is a replay");
            }
        }
        byte[] body = Etsi014Json.write(new KeyIds(List.of(new KeyIdEntry(keyId))));
        KmeTransport.KmeHttpResponse r = call(Call.DEC_KEYS, "POST", uri(masterSaeId, "dec_keys"), body);
        return oneKey(r, Call.DEC_KEYS, keyId, sizeBits);
    }

    @Override
    public void close() {
        transport.close();
    }

    private enum Call { STATUS, ENC_KEYS, DEC_KEYS }

    private URI uri(String pathSaeId, String op) {
        return URI.create(base + "/api/v1/keys/" + pathSaeId + "/" + op);
    }

    private static void requireSize(int sizeBits) {
        if (sizeBits < 8 || sizeBits % 8 != 0) {
            throw new IllegalArgumentException("key size must be a positive multiple of 8 bits, got " + sizeBits);
        }
    }

    /** Sends with the retry rules of the class comment; returns a 200 answer or throws. */
    private KmeTransport.KmeHttpResponse call(Call call, String method, URI uri, byte[] body) throws QkdException {
        QkdException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) {
                pause();
            }
            KmeTransport.KmeHttpResponse r;
            try {
                r = stats.exchange(transport, call.name().toLowerCase(java.util.Locale.ROOT), method, uri, body);
            } catch (HttpConnectTimeoutException e) {
                last = new QkdException(Reason.TIMEOUT, what(call, uri) + ": connect timed out after "
                        + attempt + " attempt(s)", e);
                continue;
            } catch (ConnectException e) {
                last = new QkdException(Reason.KME_UNREACHABLE, what(call, uri) + ": connection failed after "
                        + attempt + " attempt(s): " + describe(e), e);
                continue;
            } catch (HttpTimeoutException e) {
                throw new QkdException(Reason.TIMEOUT, what(call, uri) + ": " + describe(e), e);
            } catch (SSLException e) {
                throw new QkdException(Reason.TLS_FAILURE, what(call, uri) + ": TLS failed: " + describe(e), e);
            } catch (IOException e) {
                last = new QkdException(Reason.KME_UNREACHABLE, what(call, uri) + ": I/O error after " + attempt
                        + " attempt(s): " + describe(e), e);
                if (call == Call.DEC_KEYS) {
                    throw last; // the request may have reached the KME: never a second dec_keys
                }
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QkdException(Reason.INTERRUPTED, what(call, uri) + ": interrupted", e);
            }
            if (r.status() == 200) {
                return r;
            }
            QkdException error = httpError(call, uri, r);
            r.destroy();
            if (r.status() == 503 && call != Call.DEC_KEYS) {
                last = new QkdException(Reason.SERVICE_UNAVAILABLE, error.getMessage().substring(("QKD " + error.reason() + ": ").length())
                        + " (after " + attempt + " attempt(s))");
                continue;
            }
            throw error;
        }
        throw last;
    }

    private void pause() throws QkdException {
        if (retryDelay.isZero()) {
            return;
        }
        try {
            Thread.sleep(retryDelay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QkdException(Reason.INTERRUPTED, "interrupted between retries", e);
        }
    }

    /**
     * The failure's class and message, and its cause's when it has no message of its own — the JDK's HTTP
     * client throws a {@code ConnectException} with a null message whose cause says what happened — so that no
     * report ends in ": null". I/O exceptions carry no secrets; the text is made printable and bounded.
     */
    static String describe(Throwable e) {
        String out = e.getClass().getSimpleName();
        Throwable t = e;
        for (int depth = 0; t.getMessage() == null && t.getCause() != null && depth < 4; depth++) {
            t = t.getCause();
            out += " (" + t.getClass().getSimpleName() + ")";
        }
        return t.getMessage() == null ? out : out + ": " + SaeIds.printable(t.getMessage(), 300);
    }

    private static String what(Call call, URI uri) {
        return call.name().toLowerCase(java.util.Locale.ROOT) + " at " + uri.getHost() + ":" + uri.getPort();
    }

    private static QkdException httpError(Call call, URI uri, KmeTransport.KmeHttpResponse r) {
        String detail = "HTTP " + r.status() + " from " + what(call, uri) + ", " + describeErrorBody(r);
        Reason reason = switch (r.status()) {
            case 400 -> call == Call.DEC_KEYS ? Reason.KEY_NOT_FOUND : Reason.BAD_REQUEST;
            case 401 -> Reason.UNAUTHORIZED;
            case 503 -> Reason.SERVICE_UNAVAILABLE;
            default -> Reason.UNEXPECTED_STATUS;
        };
        return new QkdException(reason, detail);
    }

    /**
     * The KME's {@code message} if the body is an ETSI Error; otherwise what kind of body it was. Some KMEs (and
     * the reverse proxies in front of them) answer 401 with an HTML page: that is reported, not parsed.
     */
    static String describeErrorBody(KmeTransport.KmeHttpResponse r) {
        if (r.body().length > 0) {
            try {
                ErrorBody e = Etsi014Json.read(r.body(), ErrorBody.class);
                if (e != null && e.message() != null) {
                    return "KME says: \"" + SaeIds.printable(e.message(), 400) + "\"";
                }
            } catch (IOException notJson) {
                // fall through: described by type and size below
            }
        }
        return "non-JSON error body (Content-Type " + (r.contentType() == null ? "absent" : SaeIds.printable(r.contentType()))
                + ", " + r.body().length + " bytes)";
    }

    private static <T> T parse(KmeTransport.KmeHttpResponse r, Class<T> type, Call call) throws QkdException {
        try {
            T v = Etsi014Json.read(r.body(), type);
            if (v == null) {
                throw new QkdException(Reason.MALFORMED_RESPONSE, call + " response is JSON null");
            }
            return v;
        } catch (IOException e) {
            // Never the parser's text: it may quote the body, and the body may hold key material.
            throw new QkdException(Reason.MALFORMED_RESPONSE, call.name().toLowerCase(java.util.Locale.ROOT)
                    + " response is not a valid " + type.getSimpleName() + " (" + Etsi014Json.location(e) + ")");
        }
    }

    private static QkdKey oneKey(KmeTransport.KmeHttpResponse r, Call call, String expectedId, int sizeBits)
            throws QkdException {
        byte[] key = null;
        try {
            KeyContainer c = parse(r, KeyContainer.class, call);
            String op = call.name().toLowerCase(java.util.Locale.ROOT);
            if (c.keys() == null || c.keys().size() != 1 || c.keys().get(0) == null) {
                throw new QkdException(Reason.MALFORMED_RESPONSE, op + " answer must hold exactly 1 key, holds "
                        + (c.keys() == null ? "no keys array" : c.keys().size() + " entries"));
            }
            KeyEntry e = c.keys().get(0);
            if (!SaeIds.isKeyId(e.keyId())) {
                throw new QkdException(Reason.MALFORMED_RESPONSE, op + " answer has a key_ID that is not a UUID: "
                        + (e.keyId() == null ? "absent" : "\"" + SaeIds.printable(e.keyId()) + "\""));
            }
            if (expectedId != null && !expectedId.equalsIgnoreCase(e.keyId())) {
                throw new QkdException(Reason.MALFORMED_RESPONSE, op + " answered key_ID " + e.keyId()
                        + " for key_ID " + expectedId);
            }
            if (e.key() == null) {
                throw new QkdException(Reason.MALFORMED_RESPONSE, op + " answer for key_ID " + e.keyId() + " has no key");
            }
            try {
                key = Base64.getDecoder().decode(e.key());
            } catch (IllegalArgumentException bad) {
                throw new QkdException(Reason.MALFORMED_RESPONSE, op + " answer for key_ID " + e.keyId()
                        + " has a key that is not base64");
            }
            if (key.length * 8 != sizeBits) {
                throw new QkdException(Reason.BAD_KEY_SIZE, op + " answer for key_ID " + e.keyId() + " has a "
                        + key.length * 8 + "-bit key, expected " + sizeBits + " bits");
            }
            QkdKey k = new QkdKey(e.keyId(), key);
            key = null;
            return k;
        } finally {
            if (key != null) {
                java.util.Arrays.fill(key, (byte) 0);
            }
            r.destroy();
        }
    }

    private static String quote(String s) {
        return s == null ? "absent" : "\"" + SaeIds.printable(s) + "\"";
    }
}
