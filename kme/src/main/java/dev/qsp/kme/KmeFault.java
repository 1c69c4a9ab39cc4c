package dev.qsp.kme;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/** A failure a test injects into a simulated KME; each applies to exactly one request. */
public sealed interface KmeFault {

    /** Answer the next request with this status and body instead of handling it. */
    record Respond(int status, String contentType, byte[] body) implements KmeFault {
        public static Respond json(int status, String json) {
            return new Respond(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        public static Respond html(int status, String html) {
            return new Respond(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Hold the next request until {@code release} is counted down (at most {@link SimulatedKme#MAX_STALL}), then
     * handle it normally: a slow KME, without any sleep in the test.
     */
    record Stall(CountDownLatch release) implements KmeFault {
    }
}
