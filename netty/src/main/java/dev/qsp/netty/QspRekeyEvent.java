package dev.qsp.netty;

import dev.qsp.sockets.engine.RekeyKind;

/**
 * Fired down the pipeline by {@link QspHandler} when a rekey completed (SPEC.md §4.10): the new epoch, whether it
 * was a ratchet or a fresh key exchange, and the connection's rekey count so far.
 *
 * @param epoch      the key epoch the connection is in after the rekey
 * @param kind       the kind of the rekey: a ratchet or a fresh key exchange (of the latest, when several completed
 *                   in one read)
 * @param rekeyCount the rekeys the connection has completed so far, this one included
 */
public record QspRekeyEvent(long epoch, RekeyKind kind, long rekeyCount) {}
