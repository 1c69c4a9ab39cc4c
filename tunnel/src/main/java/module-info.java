/** {@code ./qsp tunnel}: QSP in front of any TCP service, and plaintext TCP into QSP (SPEC.md §6.8). */
module dev.qsp.tunnel {
    requires dev.qsp.netty;
    requires dev.qsp.samples;
    requires info.picocli;

    exports dev.qsp.tunnel;
    opens dev.qsp.tunnel to info.picocli;
}
