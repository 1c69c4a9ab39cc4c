package dev.qsp.tunnel;

import dev.qsp.sockets.QspContext;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One tunnel service, as a stunnel section: a name, which side it plays, where it accepts and where it connects,
 * and the QSP context of its QSP leg.
 *
 * @param name    the service's name (the config file's {@code [name]} section), shown in the tunnel's log lines
 * @param mode    {@code SERVER}: accepts QSP, connects plaintext TCP to the service; {@code CLIENT}: accepts
 *                plaintext TCP, connects with QSP to a server tunnel
 * @param accept  where the tunnel listens for this service (port 0: any free one)
 * @param connect where each accepted connection is relayed to: the service (server mode) or the server tunnel
 *                (client mode)
 * @param context the configuration of the QSP leg (identity, trust, suites, key sources, admission caps)
 * @param peerHost the host name the QSP server must prove (client mode; the {@code --connect} host unless
 *                 {@code dev.qsp.expectedIdentity} is set), null in server mode
 */
public record Service(String name, Mode mode, InetSocketAddress accept, InetSocketAddress connect, QspContext context,
                      String peerHost) {
    /** Which side of the QSP connection a service plays. */
    public enum Mode {
        /** Accepts QSP connections and relays each, as plaintext TCP, to the service (stunnel's server). */
        SERVER,
        /** Accepts plaintext TCP connections and relays each over QSP to a server tunnel (stunnel's client). */
        CLIENT
    }

    /**
     * Checks that every component but {@code peerHost} is given.
     *
     * @throws NullPointerException naming the component that is null
     */
    public Service {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(accept, "accept");
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(context, "context");
    }

    /**
     * {@code HOST:PORT} (IPv6 as {@code [::1]:PORT}) as an unresolved-then-resolved address.
     *
     * @param what what the address is for (e.g. {@code --accept}), named in the exception messages
     * @param text the address, {@code HOST:PORT}
     * @return the address, its host resolved (an unresolved address if the name cannot be resolved)
     * @throws IllegalArgumentException saying what is wrong with {@code text}
     * @throws NullPointerException     if {@code text} is null (the message is {@code what})
     */
    public static InetSocketAddress address(String what, String text) {
        Objects.requireNonNull(text, what);
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(what + " must be HOST:PORT, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " has a port that is not a number: '" + text + "'");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException(what + " port out of range: " + port);
        return new InetSocketAddress(host, port);
    }

    static String show(InetSocketAddress a) {
        return (a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString()) + ":" + a.getPort();
    }
}
