/** QSP samples (EchoServer, EchoClient). Skeleton: filled by the sockets issue. */
module dev.qsp.samples {
    requires dev.qsp.sockets;
}
