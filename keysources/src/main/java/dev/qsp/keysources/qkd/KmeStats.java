package dev.qsp.keysources.qkd;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the KME requests of one {@link QkdClient} and reports each as a JFR {@code dev.qsp.KmeRequest} event and,
 * with {@code -Ddev.qsp.debug=keysource} (or {@code all}), a debug line on the {@code dev.qsp.keysource} logger
 * (SPEC.md §6.6). The debug switch is read once, when the client is made; off, a request costs two counter
 * increments and a disabled JFR event. Thread-safe. Nothing here ever sees a key: the answer's body is not read.
 */
public final class KmeStats {
    private final LongAdder requests = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final System.Logger debug;

    KmeStats() {
        debug = debugEnabled(System.getProperty("dev.qsp.debug")) ? System.getLogger("dev.qsp.keysource") : null;
    }

    /** Whether a {@code dev.qsp.debug} value turns on the key-source category ({@code keysource} or {@code all}). */
    static boolean debugEnabled(String property) {
        if (property == null) return false;
        for (String s : property.split(",")) {
            String t = s.strip().toLowerCase(Locale.ROOT);
            if (t.equals("keysource") || t.equals("all")) return true;
        }
        return false;
    }

    /** {@return requests sent to the KME (every attempt counts, retries included)} */
    public long requests() { return requests.sum(); }

    /** {@return requests that got no answer or an answer other than HTTP 200} */
    public long failures() { return failures.sum(); }

    /** Sends one request through {@code transport}, counted, timed and reported. */
    KmeTransport.KmeHttpResponse exchange(KmeTransport transport, String operation, String method, URI uri, byte[] body)
            throws IOException, InterruptedException {
        KmeRequestEvent event = new KmeRequestEvent();
        event.begin();
        long start = debug == null ? 0 : System.nanoTime();
        requests.increment();
        KmeTransport.KmeHttpResponse r = null;
        Exception error = null;
        try {
            r = transport.exchange(method, uri, body);
            return r;
        } catch (IOException | InterruptedException | RuntimeException e) {
            error = e;
            throw e;
        } finally {
            int status = r == null ? 0 : r.status();
            if (status != 200) failures.increment();
            event.end();
            if (event.shouldCommit()) {
                event.operation = operation;
                event.kme = uri.getHost() + ":" + uri.getPort();
                event.httpStatus = status;
                event.error = error == null ? "" : error.getClass().getSimpleName();
                event.commit();
            }
            if (debug != null && debug.isLoggable(System.Logger.Level.DEBUG)) {
                debug.log(System.Logger.Level.DEBUG, "KME " + operation + " " + method + " " + uri.getPath() + " -> "
                        + (error == null ? "HTTP " + status : error.getClass().getSimpleName())
                        + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            }
        }
    }
}
