/**
 * QSP for Netty: {@link dev.qsp.netty.QspHandler}, the QSP analogue of Netty's {@code SslHandler}, a thin shell
 * over the sans-I/O engine (SPEC.md §4.15, §6.7).
 */
module dev.qsp.netty {
    requires transitive dev.qsp.sockets;
    requires transitive io.netty.transport;
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;

    exports dev.qsp.netty;
}
