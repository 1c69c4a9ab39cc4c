package dev.qsp.kme;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/** A failure a test injects into a simulated KME; each applies to exactly one request. */
public sealed interface KmeFault {

    /**
     * Answer the next request with this status and body instead of handling it.
     *
     * @param status      the HTTP status
     * @param contentType the Content-Type header
     * @param body        the body
     */
    record Respond(int status, String contentType, byte[] body) implements KmeFault {
        /**
         * {@return an answer with a JSON body}
         *
         * @param status the HTTP status
         * @param json   the body
         */
        public static Respond json(int status, String json) {
            return new Respond(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        /**
         * {@return an answer with an HTML body (as some KMEs' web servers send for 401)}
         *
         * @param status the HTTP status
         * @param html   the body
         */
        public static Respond html(int status, String html) {
            return new Respond(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Hold the next request until {@code release} is counted down (at most {@link SimulatedKme#MAX_STALL}), then
     * handle it normally: a slow KME, without any sleep in the test.
     *
     * @param release the latch that lets the request through
     */
    record Stall(CountDownLatch release) implements KmeFault {
    }
}
