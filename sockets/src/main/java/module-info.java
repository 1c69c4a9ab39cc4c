/**
 * QSP engine and sockets. {@code dev.qsp.sockets.engine} is the sans-I/O protocol engine (SPEC.md §4);
 * {@code dev.qsp.sockets} holds the public error, identity and trust types shared with the socket layer.
 */
module dev.qsp.sockets {
    requires transitive dev.qsp.provider;
    requires transitive dev.qsp.keysources;
    requires java.naming;
    requires java.management;
    requires jdk.jfr;
    requires java.rmi;
    requires org.bouncycastle.provider;

    exports dev.qsp.sockets;
    exports dev.qsp.sockets.engine;
    exports dev.qsp.sockets.observe;
}
