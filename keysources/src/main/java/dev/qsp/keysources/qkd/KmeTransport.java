package dev.qsp.keysources.qkd;

import java.io.IOException;
import java.net.URI;

/**
 * One HTTPS request to a KME. The production implementation is {@link HttpClientTransport}; tests substitute a
 * mock to produce failures a real server makes awkward (a connection refused once, then accepted).
 *
 * <p>Implementations throw {@link java.net.ConnectException} (or
 * {@link java.net.http.HttpConnectTimeoutException}) only when the request cannot have reached the KME, and
 * {@link java.net.http.HttpTimeoutException} when the KME did not answer in time. {@link QkdClient} relies on
 * that distinction to decide what is safe to retry.
 */
public interface KmeTransport extends AutoCloseable {

    /** Sends {@code method uri} with an optional JSON body ({@code null} for GET). */
    KmeHttpResponse exchange(String method, URI uri, byte[] jsonBody) throws IOException, InterruptedException;

    @Override
    default void close() {
    }

    /**
     * A KME's answer. The body may hold key material (base64): {@link #destroy()} zeroes it, and
     * {@link #toString()} never shows it.
     */
    record KmeHttpResponse(int status, String contentType, byte[] body) {
        public void destroy() {
            java.util.Arrays.fill(body, (byte) 0);
        }

        @Override
        public String toString() {
            return "KmeHttpResponse[" + status + ", " + contentType + ", " + body.length + " bytes]";
        }
    }
}
