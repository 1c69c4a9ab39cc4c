package dev.qsp.sockets.engine;

import dev.qsp.sockets.QspError;
import dev.qsp.sockets.QspProtocolException;
import java.util.List;

/**
 * ServerHello (SPEC.md §4.5): {@code u16 version ‖ random[32] ‖ client_hello_hash[48] ‖ u16 aead ‖ u16 signature
 * ‖ key-source replies ‖ u8 client_auth}. {@code client_hello_hash} is SHA-384 of the ClientHello as the server
 * received it: a client that sees a different hash than that of the ClientHello it sent reports DOWNGRADE at
 * once (the signature and Finished would catch the change anyway). {@code client_auth}: 0 none, 1 required.
 *
 * @param version            the protocol version ({@code 0x0001})
 * @param random             32 random bytes (copied)
 * @param clientHelloHash    SHA-384 of the ClientHello as received (copied)
 * @param aeadId             the chosen AEAD
 * @param signatureId        the server's signature scheme
 * @param replies            one reply per answered key-source offer, in the ClientHello's order
 * @param clientAuthRequired whether the client must authenticate
 */
public record ServerHello(int version, byte[] random, byte[] clientHelloHash, int aeadId, int signatureId,
                          List<KeySourceEntry> replies, boolean clientAuthRequired) implements HandshakeMessage {
    /** Copies the arrays and the replies. */
    public ServerHello {
        random = random.clone();
        clientHelloHash = clientHelloHash.clone();
        replies = List.copyOf(replies);
    }

    /** {@return a copy of the random} */
    @Override
    public byte[] random() { return random.clone(); }

    /** {@return a copy of the ClientHello hash} */
    @Override
    public byte[] clientHelloHash() { return clientHelloHash.clone(); }

    @Override
    public int type() { return SERVER_HELLO; }

    @Override
    public void writeBody(WireWriter w) {
        w.u16(version).bytes(random).bytes(clientHelloHash).u16(aeadId).u16(signatureId);
        KeySourceEntry.writeList(w, replies);
        w.u8(clientAuthRequired ? 1 : 0);
    }

    static ServerHello read(WireReader r) throws QspProtocolException {
        int version = r.u16("ServerHello version");
        byte[] random = r.bytes(ClientHello.RANDOM_LENGTH, "ServerHello random");
        byte[] chHash = r.bytes(Transcript.HASH_LENGTH, "ServerHello client_hello_hash");
        int aead = r.u16("ServerHello AEAD");
        int sig = r.u16("ServerHello signature");
        List<KeySourceEntry> replies = KeySourceEntry.readList(r, "ServerHello key-source replies");
        int auth = r.u8("ServerHello client_auth");
        if (auth > 1) throw new QspProtocolException(QspError.ILLEGAL_PARAMETER, "ServerHello: client_auth " + auth);
        r.expectEnd("ServerHello");
        return new ServerHello(version, random, chHash, aead, sig, replies, auth == 1);
    }
}
