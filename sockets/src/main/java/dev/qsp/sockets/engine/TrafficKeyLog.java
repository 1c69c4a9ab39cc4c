package dev.qsp.sockets.engine;

import javax.crypto.SecretKey;

/**
 * Receives every traffic key an engine installs, so that an observer holding them can decrypt a captured
 * connection (SPEC.md §4.17, the one deliberate exception to §4.14). Configured only when the user asks for a key
 * log ({@code dev.qsp.keyLogFile}); the engine itself never writes it anywhere (it does no I/O, §4.1).
 * Called on the engine's thread when the key is installed; the implementation must not keep {@code key} (it is
 * destroyed when its epoch is superseded) and should erase any copy of its bytes once written.
 */
@FunctionalInterface
public interface TrafficKeyLog {
    /**
     * Logs one traffic key.
     *
     * @param clientRandom   the connection's ClientHello random (32 bytes, the label; the log's own copy)
     * @param epoch          the key's epoch (unsigned)
     * @param clientToServer the key's direction
     * @param suite          the AEAD the key is for
     * @param key            the traffic key
     */
    void trafficKey(byte[] clientRandom, int epoch, boolean clientToServer, AeadSuite suite, SecretKey key);
}
