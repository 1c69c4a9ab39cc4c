package dev.qsp.sockets.observe;

import java.util.Map;

/**
 * The counters of one {@code QspContext}, registered in the platform MBeanServer as
 * {@code dev.qsp:type=Context,name=<context name>} when the context makes its first connection (SPEC.md §6.6).
 * Every value counts since then; both sides of a connection count in their own context. Maps are keyed by
 * {@code local:<code>} or {@code remote:<code>} (the error codes of SPEC.md §4.11) and come out of JMX as
 * tabular data.
 */
public interface QspContextMXBean {
    /** {@return the context's name (its {@code name} key)} */
    String getName();

    /** {@return handshakes that completed} */
    long getHandshakesCompleted();

    /** {@return handshakes that failed (any error before completion)} */
    long getHandshakesFailed();

    /** {@return failed handshakes by {@code local:CODE} / {@code remote:CODE}} */
    Map<String, Long> getHandshakeFailuresByCode();

    /** {@return connections whose handshake completed and that have not ended yet} */
    long getOpenConnections();

    /** {@return connections that failed after their handshake, by {@code local:CODE} / {@code remote:CODE}} */
    Map<String, Long> getConnectionFailuresByCode();

    /** {@return completed ratchet rekeys (SPEC.md §4.10)} */
    long getRatchetRekeys();

    /** {@return completed fresh rekeys} */
    long getFreshRekeys();

    /** {@return application plaintext bytes sent} */
    long getBytesSent();

    /** {@return application plaintext bytes received (handed to the application)} */
    long getBytesReceived();

    /** {@return requests to KMEs by this context's QKD key sources (retries included, SPEC.md §5.2)} */
    long getKmeRequests();

    /** {@return KME requests that got no answer or one other than HTTP 200} */
    long getKmeFailures();
}
