package dev.qsp.netty;

import dev.qsp.sockets.engine.RekeyKind;

/**
 * Fired down the pipeline by {@link QspHandler} when a rekey completed (SPEC.md §4.10): the new epoch, whether it
 * was a ratchet or a fresh key exchange, and the connection's rekey count so far.
 */
public record QspRekeyEvent(long epoch, RekeyKind kind, long rekeyCount) {}
