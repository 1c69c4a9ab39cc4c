package dev.qsp.keysources.psk;

import dev.qsp.keysources.KeySource;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.security.auth.Destroyable;

/**
 * A static pre-shared key for slot {@link Slot#PSK} (SPEC.md §5.5), in the manner of IKEv2's post-quantum
 * preshared keys (RFC 8784): the initiator names a key by its identity, the responder looks the identity up in
 * its table, and both feed the key to the key schedule as {@code psk} (SPEC.md §3 stage 1). The PSK is mixed in,
 * never used alone, so a leaked PSK costs nothing while the KEM holds, and a broken KEM costs nothing while the
 * PSK stays secret.
 *
 * <pre>
 * offer = u8(1) ‖ lp8(identity)      reply = u8(1) ‖ lp8(identity)    (identity: printable ASCII, 1..255 bytes)
 * </pre>
 *
 * <p>The identity travels in the clear inside the handshake; choose identities that reveal nothing.
 */
public final class PreSharedKeySource implements KeySource, Destroyable {
    /** The source's identifier on the wire and in the session ({@code "psk"}). */
    public static final String ID = "psk";
    /** Keys shorter than this are refused: 256 bits, so a PSK alone resists Grover's search. */
    public static final int MIN_KEY_BYTES = 32;
    /** The key schedule length-prefixes the PSK with 16 bits. */
    public static final int MAX_KEY_BYTES = 0xffff;
    private static final int VERSION = 1;
    private static final Pattern IDENTITY = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private final String identity;
    private final Map<String, byte[]> table;
    private final boolean required;
    private boolean destroyed;

    /**
     * A source the peer may leave out (then the handshake goes on without a PSK, visibly in the transcript).
     *
     * @param identity the identity this side offers as initiator, or {@code null} for a responder-only source;
     *                 it must be in {@code table}
     * @param table    identities and keys (copied; erase your copies)
     */
    public PreSharedKeySource(String identity, Map<String, byte[]> table) {
        this(identity, table, false);
    }

    /**
     * A source over a table of identities and keys.
     *
     * @param identity the identity this side offers as initiator, or {@code null} for a responder-only source;
     *                 it must be in {@code table}
     * @param table    identities and keys (copied; erase your copies)
     * @param required true: a peer that offers (as client) or answers (as server) no PSK is refused with
     *                 {@code PSK_REQUIRED} (SPEC.md §5.5), as a server that must not fall back to KEM-only keys
     */
    public PreSharedKeySource(String identity, Map<String, byte[]> table, boolean required) {
        Objects.requireNonNull(table, "table");
        Map<String, byte[]> copy = new HashMap<>();
        for (Map.Entry<String, byte[]> e : table.entrySet()) {
            requireIdentity(e.getKey());
            byte[] k = Objects.requireNonNull(e.getValue(), "key");
            if (k.length < MIN_KEY_BYTES || k.length > MAX_KEY_BYTES) {
                copy.values().forEach(v -> Arrays.fill(v, (byte) 0));
                throw new IllegalArgumentException("PSK \"" + e.getKey() + "\" is " + k.length + " bytes; need "
                        + MIN_KEY_BYTES + ".." + MAX_KEY_BYTES);
            }
            copy.put(e.getKey(), k.clone());
        }
        if (identity != null && !copy.containsKey(requireIdentity(identity))) {
            copy.values().forEach(v -> Arrays.fill(v, (byte) 0));
            throw new IllegalArgumentException("initiator identity \"" + identity + "\" is not in the PSK table");
        }
        this.identity = identity;
        this.table = copy;
        this.required = required;
    }

    /** {@return whether a peer without a PSK is refused (SPEC.md §5.5)} */
    public boolean required() {
        return required;
    }

    /** The peer took no part in the PSK: refused if {@link #required()}, else accepted (the default). */
    @Override
    public void peerAbsent() throws PskException {
        if (required) {
            throw new PskException(PskException.Reason.REQUIRED,
                    "the peer offered no pre-shared key and this side requires one");
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Slot slot() {
        return Slot.PSK;
    }

    @Override
    public Initiation initiate() {
        if (identity == null) {
            throw new IllegalStateException("this PSK source has no initiator identity");
        }
        byte[] message = encode(identity);
        return new Initiation() {
            private boolean done;

            @Override
            public byte[] offer() {
                return message.clone();
            }

            @Override
            public byte[] complete(byte[] reply) throws PskException {
                if (done) {
                    throw new IllegalStateException("PSK exchange already completed");
                }
                done = true;
                String echoed = decode(reply, PskException.Reason.MALFORMED_REPLY, "PSK reply");
                if (!echoed.equals(identity)) {
                    throw new PskException(PskException.Reason.MALFORMED_REPLY, "reply names identity \""
                            + echoed + "\", offered \"" + identity + "\"");
                }
                return key(identity);
            }

            @Override
            public void destroy() {
                done = true;
            }
        };
    }

    @Override
    public Response respond(byte[] offer) throws PskException {
        String id = decode(offer, PskException.Reason.MALFORMED_OFFER, "PSK offer");
        byte[] key = key(id);
        if (key == null) {
            throw new PskException(PskException.Reason.UNKNOWN_IDENTITY, "no pre-shared key for identity \"" + id + "\"");
        }
        return new Response(encode(id), key);
    }

    private synchronized byte[] key(String id) {
        if (destroyed) {
            throw new IllegalStateException("PSK source has been destroyed");
        }
        byte[] k = table.get(id);
        return k == null ? null : k.clone();
    }

    /** Erases every key in the table. */
    @Override
    public synchronized void destroy() {
        table.values().forEach(v -> Arrays.fill(v, (byte) 0));
        destroyed = true;
    }

    @Override
    public synchronized boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "PreSharedKeySource[identity=" + identity + ", " + table.size() + " key(s)"
                + (required ? ", required" : "") + "]";
    }

    private static String requireIdentity(String id) {
        if (id == null || !IDENTITY.matcher(id).matches()) {
            throw new IllegalArgumentException("PSK identity must be 1..255 printable ASCII characters without"
                    + " spaces, got " + (id == null ? "null" : "a " + id.length() + "-character string"));
        }
        return id;
    }

    private static byte[] encode(String id) {
        byte[] b = id.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[2 + b.length];
        out[0] = VERSION;
        out[1] = (byte) b.length;
        System.arraycopy(b, 0, out, 2, b.length);
        return out;
    }

    private static String decode(byte[] m, PskException.Reason malformed, String what) throws PskException {
        if (m == null || m.length < 3) {
            throw new PskException(malformed, what + " is " + (m == null ? "absent" : m.length + " bytes, need at least 3"));
        }
        if ((m[0] & 0xff) != VERSION) {
            throw new PskException(malformed, what + " has version " + (m[0] & 0xff) + ", expected " + VERSION);
        }
        int len = m[1] & 0xff;
        if (len == 0 || m.length != 2 + len) {
            throw new PskException(malformed, what + " has identity length " + len + " but " + (m.length - 2)
                    + " byte(s) follow");
        }
        String id = new String(m, 2, len, StandardCharsets.US_ASCII);
        for (int i = 2; i < m.length; i++) {
            if (m[i] < 0x21 || m[i] > 0x7e) {
                throw new PskException(malformed, what + " identity has a non-printable byte at offset " + i);
            }
        }
        return id;
    }
}
