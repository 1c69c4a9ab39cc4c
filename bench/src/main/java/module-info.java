/**
 * QSP JMH benchmarks: the hybrid KEMs ({@code KemBench}); later issues add the key schedule and the protocol.
 * Build and run: see the comment in bench/pom.xml.
 */
module dev.qsp.bench {
    requires dev.qsp.provider;
    requires jmh.core;

    // JMH instantiates the benchmark state and the generated harness classes reflectively.
    opens dev.qsp.bench;
    opens dev.qsp.bench.jmh_generated;
}
