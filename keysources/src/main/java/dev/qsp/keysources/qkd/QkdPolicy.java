package dev.qsp.keysources.qkd;

/**
 * What a context does about QKD (SPEC.md §5.4). Both ends apply their own policy; the exchange goes ahead with a
 * QKD key only if both obtained the same one.
 */
public enum QkdPolicy {
    /** A QKD key is mandatory: any failure (local or signalled by the peer) aborts the handshake or rekey. */
    REQUIRE,
    /**
     * Use a QKD key when one can be had, else fall back to the other sources. The fallback is never silent: it
     * is an UNAVAILABLE offer or reply, which the transcript binds, and the source contributes an empty secret.
     */
    PREFER,
    /** Never call a KME. The engine leaves the source out; as responder it answers UNAVAILABLE(POLICY_DISABLED). */
    DISABLED
}
