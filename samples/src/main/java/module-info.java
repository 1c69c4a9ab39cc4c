/**
 * QSP samples: {@link dev.qsp.samples.EchoServer} and {@link dev.qsp.samples.EchoClient}, ordinary socket
 * programs that get QSP only from the socket factories, and the throwaway development identity they use.
 */
module dev.qsp.samples {
    requires dev.qsp.sockets;
    requires info.picocli;

    exports dev.qsp.samples;

    // picocli reads the @Command/@Option fields of EchoServer and EchoClient reflectively.
    opens dev.qsp.samples to info.picocli;
}
