package dev.qsp.sockets;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * A {@link Socket} whose addresses and TCP options are those of another socket, the TCP connection a
 * {@link QspSocket} runs over (as JSSE's {@code BaseSSLSocketImpl} does for layered sockets). Options that would
 * let bytes bypass the record layer are refused.
 */
abstract class DelegatingSocket extends Socket {
    /** The TCP connection; QSP frames are its bytes. */
    final Socket raw;

    /**
     * No {@code SocketImpl} of its own: {@code new Socket()} would make a SOCKS impl over a platform one (two locks,
     * a state lock, ~300 bytes) that a socket delegating everything to {@code raw} never uses; {@code Socket} creates
     * one lazily should a method this class does not override ever need it.
     */
    DelegatingSocket(Socket raw) throws SocketException {
        super((SocketImpl) null);
        this.raw = raw;
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException { raw.bind(bindpoint); }

    @Override
    public boolean isConnected() { return raw.isConnected(); }

    @Override
    public boolean isBound() { return raw.isBound(); }

    @Override
    public InetAddress getInetAddress() { return raw.getInetAddress(); }

    @Override
    public InetAddress getLocalAddress() { return raw.getLocalAddress(); }

    @Override
    public int getPort() { return raw.getPort(); }

    @Override
    public int getLocalPort() { return raw.getLocalPort(); }

    @Override
    public SocketAddress getRemoteSocketAddress() { return raw.getRemoteSocketAddress(); }

    @Override
    public SocketAddress getLocalSocketAddress() { return raw.getLocalSocketAddress(); }

    /** A QSP socket has no channel: its bytes are not the wire's bytes. */
    @Override
    public SocketChannel getChannel() { return null; }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException { raw.setTcpNoDelay(on); }

    @Override
    public boolean getTcpNoDelay() throws SocketException { return raw.getTcpNoDelay(); }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException { raw.setSoLinger(on, linger); }

    @Override
    public int getSoLinger() throws SocketException { return raw.getSoLinger(); }

    /** Urgent data would bypass the record layer: refused, as SSLSocket does. */
    @Override
    public void sendUrgentData(int data) throws IOException {
        throw new SocketException("sendUrgentData is not supported on a QSP socket");
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        if (on) throw new SocketException("OOBInline is not supported on a QSP socket");
    }

    @Override
    public boolean getOOBInline() { return false; }

    @Override
    public void setSendBufferSize(int size) throws SocketException { raw.setSendBufferSize(size); }

    @Override
    public int getSendBufferSize() throws SocketException { return raw.getSendBufferSize(); }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException { raw.setReceiveBufferSize(size); }

    @Override
    public int getReceiveBufferSize() throws SocketException { return raw.getReceiveBufferSize(); }

    @Override
    public void setKeepAlive(boolean on) throws SocketException { raw.setKeepAlive(on); }

    @Override
    public boolean getKeepAlive() throws SocketException { return raw.getKeepAlive(); }

    @Override
    public void setTrafficClass(int tc) throws SocketException { raw.setTrafficClass(tc); }

    @Override
    public int getTrafficClass() throws SocketException { return raw.getTrafficClass(); }

    @Override
    public void setReuseAddress(boolean on) throws SocketException { raw.setReuseAddress(on); }

    @Override
    public boolean getReuseAddress() throws SocketException { return raw.getReuseAddress(); }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        raw.setPerformancePreferences(connectionTime, latency, bandwidth);
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        if (name == StandardSocketOptions.SO_LINGER || name == StandardSocketOptions.TCP_NODELAY
                || name == StandardSocketOptions.SO_KEEPALIVE
                || name == StandardSocketOptions.SO_SNDBUF
                || name == StandardSocketOptions.SO_RCVBUF
                || name == StandardSocketOptions.SO_REUSEADDR
                || name == StandardSocketOptions.IP_TOS) {
            raw.setOption(name, value);
            return this;
        }
        throw new UnsupportedOperationException("'" + name + "' is not supported on a QSP socket");
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException { return raw.getOption(name); }

    @Override
    public Set<SocketOption<?>> supportedOptions() { return raw.supportedOptions(); }

}
