/** QSP key sources: the interface every contributor of key material implements, and the built-in sources. */
module dev.qsp.keysources {
    requires transitive dev.qsp.provider;

    exports dev.qsp.keysources;
    exports dev.qsp.keysources.kem;
}
