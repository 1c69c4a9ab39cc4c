package dev.qsp.kme;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.qsp.keysources.qkd.json.ErrorBody;
import dev.qsp.keysources.qkd.json.Etsi014Json;
import dev.qsp.keysources.qkd.json.KeyContainer;
import dev.qsp.keysources.qkd.json.KeyEntry;
import dev.qsp.keysources.qkd.json.KeyIdEntry;
import dev.qsp.keysources.qkd.json.KeyIds;
import dev.qsp.keysources.qkd.json.KeyRequest;
import dev.qsp.keysources.qkd.json.KmeStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * One simulated KME serving the ETSI GS QKD 014 v1.1.1 REST API over HTTPS with mutual TLS on 127.0.0.1. An SAE
 * is identified by the CN of its client certificate and must be registered at this KME (else 401). Errors are
 * the standard's: 400 (bad request, unknown or already delivered key ID, or an empty pool when so configured),
 * 401, 503, each with an ETSI Error body {@code {"message": ...}}. Started by {@link KmePair}.
 */
public final class SimulatedKme implements AutoCloseable {
    /** The longest a {@link KmeFault.Stall} holds a request, so a forgotten latch cannot hang a test run. */
    public static final Duration MAX_STALL = Duration.ofSeconds(30);

    private static final Pattern PATH = Pattern.compile("/api/v1/keys/([^/]+)/(status|enc_keys|dec_keys)");
    private static final int MAX_REQUEST_BODY = 16 * 1024;

    private final String kmeId;
    private final Set<String> saeIds = ConcurrentHashMap.newKeySet();
    private final SharedKeyPool pool;
    private final ConcurrentLinkedQueue<KmeFault> faults = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final HttpsServer server;
    private final ExecutorService executor;

    SimulatedKme(String kmeId, SSLContext tls, SharedKeyPool pool) throws IOException {
        this.kmeId = kmeId;
        this.pool = pool;
        this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setNeedClientAuth(true); // ETSI GS QKD 014 §4.2: SAEs authenticate to the KME
                params.setSSLParameters(p);
            }
        });
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/api/v1/keys/", this::handle);
        server.start();
    }

    void register(String saeId) {
        pool.register(saeId, kmeId);
        saeIds.add(saeId);
    }

    /** {@return this KME's ID} */
    public String kmeId() {
        return kmeId;
    }

    /** {@return this KME's base URL, {@code https://127.0.0.1:port}} */
    public URI baseUri() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    /** {@return the port this KME listens on} */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Queues a fault for the next request not yet claimed by an earlier fault.
     *
     * @param fault what to do to that request
     */
    public void inject(KmeFault fault) {
        faults.add(fault);
    }

    /**
     * {@return how many requests reached this KME for {@code op}}
     *
     * @param op {@code "status"}, {@code "enc_keys"} or {@code "dec_keys"}
     */
    public int requestCount(String op) {
        AtomicInteger n = requests.get(op);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Matcher m = PATH.matcher(ex.getRequestURI().getPath());
            String op = m.matches() ? m.group(2) : "other";
            requests.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
            KmeFault fault = faults.poll();
            if (fault instanceof KmeFault.Respond r) {
                send(ex, r.status(), r.contentType(), r.body());
                return;
            }
            if (fault instanceof KmeFault.Stall s) {
                try {
                    s.release().await(MAX_STALL.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] answer = null;
            try {
                String sae = authenticate(ex);
                if (!m.matches()) {
                    throw new KmeError(404, "no such resource: " + ex.getRequestURI().getPath());
                }
                String method = ex.getRequestMethod();
                if (!method.equals("GET") && !method.equals("POST")) {
                    throw new KmeError(405, "method " + method + " not allowed");
                }
                String pathSae = m.group(1);
                answer = switch (op) {
                    case "status" -> status(sae, pathSae);
                    case "enc_keys" -> encKeys(ex, sae, pathSae);
                    default -> decKeys(ex, sae, pathSae);
                };
                send(ex, 200, "application/json", answer);
            } catch (KmeError e) {
                send(ex, e.status, "application/json", Etsi014Json.write(ErrorBody.of(e.getMessage())));
            } finally {
                if (answer != null) {
                    Arrays.fill(answer, (byte) 0);
                }
            }
        }
    }

    /** The SAE ID is the CN of the client certificate, which TLS has already verified against the CA. */
    private String authenticate(HttpExchange ex) throws KmeError {
        try {
            Certificate[] chain = ((HttpsExchange) ex).getSSLSession().getPeerCertificates();
            X500Name subject = X500Name.getInstance(((X509Certificate) chain[0]).getSubjectX500Principal().getEncoded());
            RDN[] cn = subject.getRDNs(BCStyle.CN);
            String sae = cn.length == 1 ? IETFUtils.valueToString(cn[0].getFirst().getValue()) : null;
            if (sae == null || !saeIds.contains(sae)) {
                throw new KmeError(401, "SAE " + (sae == null ? "without a CN" : sae) + " is not registered at " + kmeId);
            }
            return sae;
        } catch (SSLPeerUnverifiedException e) {
            throw new KmeError(401, "no client certificate");
        }
    }

    private byte[] status(String master, String slave) throws KmeError {
        String slaveKme = requirePeer(master, slave);
        KmeSettings s = pool.settings();
        int stored = s.countOnlyUnclaimedKeys() ? pool.unclaimed(master, slave) : pool.available(master, slave);
        return Etsi014Json.write(new KmeStatus(kmeId, slaveKme, master, slave, s.keySize(), stored, s.maxKeyCount(), s.maxKeyPerRequest(), s.maxKeySize(),
                s.minKeySize(), 0));
    }

    private byte[] encKeys(HttpExchange ex, String master, String slave) throws KmeError {
        requirePeer(master, slave);
        KmeSettings s = pool.settings();
        KeyRequest req = ex.getRequestMethod().equals("POST")
                ? readJson(ex, KeyRequest.class)
                : new KeyRequest(intParam(ex, "number"), intParam(ex, "size"), null);
        int number = req.number() == null ? 1 : req.number();
        int size = req.size() == null ? s.keySize() : req.size();
        if (number < 1 || number > s.maxKeyPerRequest()) {
            throw new KmeError(400, "number must be 1.." + s.maxKeyPerRequest() + ", got " + number);
        }
        if (size < s.minKeySize() || size > s.maxKeySize() || size % 8 != 0) {
            throw new KmeError(400, "size must be a multiple of 8 in " + s.minKeySize() + ".." + s.maxKeySize()
                    + ", got " + size);
        }
        if (req.additionalSlaveSaeIds() != null && !req.additionalSlaveSaeIds().isEmpty()) {
            throw new KmeError(400, "additional_slave_SAE_IDs not supported (max_SAE_ID_count is 0)");
        }
        return Etsi014Json.write(new KeyContainer(pool.take(master, slave, number, size)));
    }

    private byte[] decKeys(HttpExchange ex, String slave, String master) throws KmeError {
        if (pool.kmeOf(master) == null || master.equals(slave)) {
            throw new KmeError(400, "unknown master SAE " + master);
        }
        List<String> ids = new ArrayList<>();
        if (ex.getRequestMethod().equals("POST")) {
            KeyIds req = readJson(ex, KeyIds.class);
            if (req.keyIds() == null) {
                throw new KmeError(400, "key_IDs missing");
            }
            for (KeyIdEntry e : req.keyIds()) {
                ids.add(e == null ? null : e.keyId());
            }
        } else {
            String q = queryParams(ex).get("key_ID");
            if (q != null) {
                ids.add(q);
            }
        }
        if (ids.isEmpty()) {
            throw new KmeError(400, "no key_ID given");
        }
        for (String id : ids) {
            if (id == null || !id.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
                throw new KmeError(400, "key_ID is not a UUID");
            }
        }
        List<KeyEntry> keys = pool.deliver(master, slave, ids);
        return Etsi014Json.write(new KeyContainer(keys));
    }

    private String requirePeer(String master, String slave) throws KmeError {
        String slaveKme = pool.kmeOf(slave);
        if (slaveKme == null || slave.equals(master)) {
            throw new KmeError(400, "unknown slave SAE " + slave);
        }
        return slaveKme;
    }

    private static <T> T readJson(HttpExchange ex, Class<T> type) throws KmeError {
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_REQUEST_BODY + 1);
            if (body.length > MAX_REQUEST_BODY) {
                throw new KmeError(400, "request body too large");
            }
            T v = Etsi014Json.read(body, type);
            if (v == null) {
                throw new KmeError(400, "request body is JSON null");
            }
            return v;
        } catch (IOException e) {
            throw new KmeError(400, "request body is not a valid " + type.getSimpleName() + " ("
                    + Etsi014Json.location(e) + ")");
        }
    }

    private static Integer intParam(HttpExchange ex, String name) throws KmeError {
        String v = queryParams(ex).get(name);
        try {
            return v == null ? null : Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw new KmeError(400, name + " is not an integer");
        }
    }

    private static Map<String, String> queryParams(HttpExchange ex) {
        Map<String, String> out = new HashMap<>();
        String q = ex.getRequestURI().getRawQuery();
        if (q != null) {
            for (String kv : q.split("&")) {
                int i = kv.indexOf('=');
                if (i > 0) {
                    out.put(kv.substring(0, i), kv.substring(i + 1));
                }
            }
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
