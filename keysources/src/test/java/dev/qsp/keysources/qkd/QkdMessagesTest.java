package dev.qsp.keysources.qkd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.qkd.QkdException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Exact byte layouts of the QKD offer and reply (SPEC.md §5.3) and their parse errors. */
class QkdMessagesTest {
    private static final String KEY_ID = "0b5e1b7e-3a4f-4c1d-9e2a-5d6c7b8a9f00";
    private static final HexFormat HEX = HexFormat.of();
    private static final String ID_HEX = HEX.formatHex(KEY_ID.getBytes(StandardCharsets.US_ASCII));

    @Test
    void keyOfferLayout() throws Exception {
        byte[] b = QkdOffer.key("SAE_A", 256, KEY_ID).encode();
        assertEquals("0101" + "05" + "5341455f41" + "0100" + ID_HEX, HEX.formatHex(b));
        assertEquals(QkdOffer.key("SAE_A", 256, KEY_ID), QkdOffer.parse(b));
    }

    @Test
    void unavailableOfferLayout() throws Exception {
        byte[] b = QkdOffer.unavailable("SAE_A", Reason.KME_UNREACHABLE).encode();
        assertEquals("0102055341455f4101", HEX.formatHex(b));
        assertEquals(QkdOffer.unavailable("SAE_A", Reason.KME_UNREACHABLE), QkdOffer.parse(b));
    }

    @Test
    void replyLayouts() throws Exception {
        byte[] ack = QkdReply.ack("SAE_B", KEY_ID).encode();
        assertEquals("0101055341455f42" + ID_HEX, HEX.formatHex(ack));
        assertEquals(QkdReply.ack("SAE_B", KEY_ID), QkdReply.parse(ack));
        byte[] un = QkdReply.unavailable("SAE_B", Reason.KEY_NOT_FOUND).encode();
        assertEquals("0102055341455f4205", HEX.formatHex(un));
        assertEquals(QkdReply.unavailable("SAE_B", Reason.KEY_NOT_FOUND), QkdReply.parse(un));
    }

    @Test
    void everyWireReasonRoundTrips() throws Exception {
        for (Reason r : Reason.values()) {
            if (r.wireCode() != 0) {
                assertEquals(r, QkdReply.parse(QkdReply.unavailable("S", r).encode()).reason());
            } else {
                assertThrows(IllegalArgumentException.class, () -> QkdOffer.unavailable("S", r));
            }
        }
    }

    private static void malformedOffer(String hex, String expect) {
        QkdException e = assertThrows(QkdException.class, () -> QkdOffer.parse(HEX.parseHex(hex)));
        assertEquals(Reason.MALFORMED_OFFER, e.reason());
        assertTrue(e.getMessage().contains(expect), e.getMessage());
    }

    @Test
    void malformedOffers() {
        byte[] good = QkdOffer.key("SAE_A", 256, KEY_ID).encode();
        malformedOffer("", "truncated at version");
        malformedOffer("02", "unsupported version 2");
        malformedOffer("0103", "unknown kind 3");
        malformedOffer("0101", "truncated at master_SAE_ID length");
        malformedOffer("010100", "is not a valid SAE ID");
        malformedOffer("0101055341455f", "truncated at master_SAE_ID");
        malformedOffer("0101055341455f410100", "truncated at key_ID");
        malformedOffer(HEX.formatHex(good) + "00", "1 trailing byte(s)");
        malformedOffer(HEX.formatHex(Arrays.copyOf(good, good.length - 1)), "truncated at key_ID");
        malformedOffer("0101055341455f410101" + ID_HEX, "key size 257 bits");
        malformedOffer("0101055341455f410100" + ID_HEX.replace("2d", "5f"), "is not a UUID");
        malformedOffer("0102055341455f41", "truncated at reason");
        malformedOffer("0102055341455f41ff", "unknown unavailability reason code 255");
        malformedOffer("0102055341455f4100", "unknown unavailability reason code 0");
        malformedOffer("010205534145204100", "non-printable or non-ASCII");
        assertEquals(Reason.MALFORMED_OFFER, assertThrows(QkdException.class, () -> QkdOffer.parse(null)).reason());
    }

    @Test
    void malformedRepliesAreMalformedReply() {
        for (String hex : new String[] {"", "01", "0101055341455f42", "0102055341455f42", "0102055341455f420505"}) {
            QkdException e = assertThrows(QkdException.class, () -> QkdReply.parse(HEX.parseHex(hex)));
            assertEquals(Reason.MALFORMED_REPLY, e.reason(), hex);
        }
    }

    @Test
    void constructorsRefuseBadValues() {
        assertThrows(IllegalArgumentException.class, () -> QkdOffer.key("SAE_A", 257, KEY_ID));
        assertThrows(IllegalArgumentException.class, () -> QkdOffer.key("SAE_A", 256, "nope"));
        assertThrows(IllegalArgumentException.class, () -> QkdOffer.key("SAE A", 256, KEY_ID));
        assertThrows(IllegalArgumentException.class, () -> QkdReply.ack("SAE_B", "nope"));
    }

    @Test
    void longestSaeIdFits() throws Exception {
        String sae = "S".repeat(255);
        byte[] b = QkdOffer.key(sae, 8192, KEY_ID).encode();
        assertEquals(2 + 1 + 255 + 2 + 36, b.length);
        assertEquals(sae, QkdOffer.parse(b).masterSaeId());
        assertArrayEquals(b, QkdOffer.parse(b).encode());
    }
}
