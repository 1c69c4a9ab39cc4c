package dev.qsp.bench.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A plain {@link Socket}: the floor every other stack is compared with. */
public final class PlainTransport implements Transport {
    /** A plain transport; it holds nothing. */
    public PlainTransport() {
    }

    @Override
    public ServerSocket listen() throws IOException {
        return new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
    }

    @Override
    public Socket connect(int port, String peerName) throws IOException {
        return Transport.tune(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    @Override
    public void handshake(Socket socket) throws IOException {
        Transport.tune(socket);
    }
}
