package dev.qsp.keysources.psk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.KeySource;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The static pre-shared key source (SPEC.md §5.5). */
class PreSharedKeySourceTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] K1 = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final byte[] K2 = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff" + "e0e1e2e3e4e5e6e7e8e9eaebecedeeef" + "00");

    @Test
    void bothSidesGetTheNamedKey() throws Exception {
        PreSharedKeySource client = new PreSharedKeySource("site-1", Map.of("site-1", K1));
        PreSharedKeySource server = new PreSharedKeySource(null, Map.of("site-1", K1, "site-2", K2));
        assertEquals("psk", client.id());
        assertEquals(KeySource.Slot.PSK, client.slot());
        KeySource.Initiation init = client.initiate();
        assertEquals("0106" + HEX.formatHex("site-1".getBytes()), HEX.formatHex(init.offer()));
        KeySource.Response resp = server.respond(init.offer());
        assertArrayEquals(init.offer(), resp.reply());
        assertArrayEquals(K1, resp.secret());
        assertArrayEquals(K1, init.complete(resp.reply()));
    }

    @Test
    void unknownIdentityIsSpecific() {
        PreSharedKeySource client = new PreSharedKeySource("site-3", Map.of("site-3", K2));
        PreSharedKeySource server = new PreSharedKeySource(null, Map.of("site-1", K1));
        PskException e = assertThrows(PskException.class, () -> server.respond(client.initiate().offer()));
        assertEquals(PskException.Reason.UNKNOWN_IDENTITY, e.reason());
        assertEquals("PSK UNKNOWN_IDENTITY: no pre-shared key for identity \"site-3\"", e.getMessage());
    }

    @Test
    void shortKeysAndBadIdentitiesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PreSharedKeySource("a", Map.of("a", Arrays.copyOf(K1, 31))));
        assertTrue(e.getMessage().contains("31 bytes; need 32.."), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new PreSharedKeySource("b", Map.of("a", K1)));
        assertThrows(IllegalArgumentException.class, () -> new PreSharedKeySource(null, Map.of("has space", K1)));
        assertThrows(IllegalArgumentException.class, () -> new PreSharedKeySource(null, Map.of("", K1)));
        assertThrows(IllegalStateException.class, () -> new PreSharedKeySource(null, Map.of("a", K1)).initiate());
    }

    @Test
    void malformedOffersAndReplies() throws Exception {
        PreSharedKeySource server = new PreSharedKeySource(null, Map.of("site-1", K1));
        String[][] cases = {{"", "0 bytes"}, {"0101", "need at least 3"}, {"020161", "version 2"},
                            {"0103616161ff", "length 3 but 4"}, {"01020a61", "non-printable"}};
        for (String[] c : cases) {
            PskException e = assertThrows(PskException.class, () -> server.respond(HEX.parseHex(c[0])));
            assertEquals(PskException.Reason.MALFORMED_OFFER, e.reason());
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
        PreSharedKeySource client = new PreSharedKeySource("site-1", Map.of("site-1", K1, "site-2", K2));
        KeySource.Initiation init = client.initiate();
        PskException e = assertThrows(PskException.class, () -> init.complete(HEX.parseHex("0106" + HEX.formatHex("site-2".getBytes()))));
        assertEquals(PskException.Reason.MALFORMED_REPLY, e.reason());
    }

    @Test
    void tableIsCopiedErasableAndNeverPrinted() throws Exception {
        byte[] mine = K1.clone();
        PreSharedKeySource s = new PreSharedKeySource("site-1", Map.of("site-1", mine));
        Arrays.fill(mine, (byte) 0); // the caller's copy is independent
        KeySource.Response r = s.respond(s.initiate().offer());
        assertArrayEquals(K1, r.secret());
        assertFalse(s.toString().contains(HEX.formatHex(K1)), s.toString());
        s.destroy();
        assertTrue(s.isDestroyed());
        assertThrows(IllegalStateException.class, () -> s.respond(s.initiate().offer()));
    }
}
