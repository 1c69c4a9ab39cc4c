/**
 * QSP JMH benchmarks: the hybrid KEMs ({@code KemBench}), the key schedule ({@code KeyScheduleBench}), and the
 * loopback comparison of transport stacks (handshake, bulk, echo, idle memory) that {@code ./qsp bench} runs
 * through {@code BenchSuite}. Build and run: see the comment in bench/pom.xml.
 */
module dev.qsp.bench {
    requires dev.qsp.provider;
    requires dev.qsp.sockets;
    requires dev.qsp.kme; // the QSP+QKD stack's simulated KME pair (QspTransport)
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires jmh.core;
    requires com.fasterxml.jackson.databind;
    requires java.management;
    requires jdk.management; // the process CPU clock's fallback (dev.qsp.bench.loopback.ProcessCpu)
    requires java.logging;
    requires info.picocli;
    // ./qsp bench scale and tunnel: the Netty handler, Netty's SslHandler, the tunnel
    requires dev.qsp.netty;
    requires dev.qsp.tunnel;
    requires io.netty.handler;
    // BCJSSE 1.84 is compiled against but never on the project's run-time path (see bench/pom.xml).
    requires static org.bouncycastle.tls;

    exports dev.qsp.bench.net;
    exports dev.qsp.bench.engine;
    exports dev.qsp.bench.fuzz;

    // JMH instantiates the benchmark state and the generated harness classes reflectively.
    opens dev.qsp.bench;
    opens dev.qsp.bench.jmh_generated;
    // picocli reads the command classes' @Option fields reflectively.
    opens dev.qsp.bench.suite to info.picocli;
    opens dev.qsp.bench.engine to info.picocli;
    opens dev.qsp.bench.fuzz to info.picocli;
    opens dev.qsp.bench.loopback to info.picocli;
}
