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

    /**
     * Sends {@code method uri} with an optional JSON body ({@code null} for GET).
     *
     * @param method   {@code "GET"} or {@code "POST"}
     * @param uri      the full request URI
     * @param jsonBody the request body, or {@code null}
     * @return the KME's answer, whatever its status
     * @throws IOException          if no answer arrived (see above for which subclasses mean what)
     * @throws InterruptedException if the calling thread was interrupted while waiting
     */
    KmeHttpResponse exchange(String method, URI uri, byte[] jsonBody) throws IOException, InterruptedException;

    @Override
    default void close() {
    }

    /**
     * A KME's answer. The body may hold key material (base64): {@link #destroy()} zeroes it, and
     * {@link #toString()} never shows it.
     *
     * @param status      the HTTP status
     * @param contentType the Content-Type header, or {@code null}
     * @param body        the body (may hold key material)
     */
    record KmeHttpResponse(int status, String contentType, byte[] body) {
        /** Overwrites the body with zeros. */
        public void destroy() {
            java.util.Arrays.fill(body, (byte) 0);
        }

        @Override
        public String toString() {
            return "KmeHttpResponse[" + status + ", " + contentType + ", " + body.length + " bytes]";
        }
    }
}
