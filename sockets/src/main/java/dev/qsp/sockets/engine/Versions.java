package dev.qsp.sockets.engine;

/** Protocol versions (SPEC.md §4.2). */
final class Versions {
    private Versions() {}

    /** QSP v1. */
    static final int V1 = 0x0001;
}
