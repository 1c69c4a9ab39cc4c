/** QSP JMH benchmarks. Benchmarks arrive with the provider issue (primitives) and the measurement issue. */
module dev.qsp.bench {
    requires dev.qsp.provider;
    requires jmh.core;
}
