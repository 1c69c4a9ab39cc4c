/** QSP protocol engine (sans-I/O) and socket factories. Skeleton: filled by the engine and sockets issues. */
module dev.qsp.sockets {
    requires transitive dev.qsp.provider;
    requires dev.qsp.keysources;
}
