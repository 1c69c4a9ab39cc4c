package dev.qsp.sockets;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The JFR events of the socket layer (SPEC.md §6.6). Each carries the connection's label (the first 8 hex digits
 * of its ClientHello random, as in the debug log; the key log has all 64) and only public facts.
 * {@code dev.qsp.KmeRequest} is in the key sources ({@code dev.qsp.keysources.qkd.KmeRequestEvent}).
 */
final class QspEvents {
    private QspEvents() {}

    @Name("dev.qsp.Handshake")
    @Label("QSP Handshake")
    @Category({"QSP"})
    @Description("A QSP handshake that completed or failed")
    @StackTrace(false)
    static final class Handshake extends jdk.jfr.Event {
        @Label("Connection") String connection;
        @Label("Role") @Description("client or server") String role;
        @Label("Handshake Time") @Timespan(Timespan.NANOSECONDS) long handshakeTime;
        @Label("Outcome") @Description("completed, or failed: CODE") String outcome;
        @Label("AEAD") String suite;
        @Label("KEM") String kem;
        @Label("Signature") String signature;
        @Label("Key Sources") @Description("Ids of the key sources that contributed") String keySources;
        @Label("Peer Identity") String peerIdentity;
    }

    @Name("dev.qsp.Rekey")
    @Label("QSP Rekey")
    @Category({"QSP"})
    @Description("A completed QSP rekey (SPEC.md 4.10)")
    @StackTrace(false)
    static final class Rekey extends jdk.jfr.Event {
        @Label("Connection") String connection;
        @Label("Role") String role;
        @Label("Kind") @Description("ratchet or fresh") String kind;
        @Label("New Epoch") long newEpoch;
        @Label("Rekey Time") @Timespan(Timespan.NANOSECONDS) long rekeyTime;
    }

    @Name("dev.qsp.Failure")
    @Label("QSP Failure")
    @Category({"QSP"})
    @Description("A QSP connection that failed with an error code (SPEC.md 4.11)")
    @StackTrace(false)
    static final class Failure extends jdk.jfr.Event {
        @Label("Connection") String connection;
        @Label("Role") String role;
        @Label("Code") String code;
        @Label("Remote") @Description("The peer reported the error (its CLOSE), rather than this side") boolean remote;
        @Label("Phase") @Description("handshake, traffic or rekey") String phase;
        @Label("Message") String message;
    }
}
