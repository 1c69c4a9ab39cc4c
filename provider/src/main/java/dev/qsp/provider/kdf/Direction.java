package dev.qsp.provider.kdf;

/** Which way traffic flows; each direction of each epoch has its own key (SPEC.md, "Key schedule"). */
public enum Direction {
    /** Sent by the client, received by the server. */
    CLIENT_TO_SERVER,
    /** Sent by the server, received by the client. */
    SERVER_TO_CLIENT
}
