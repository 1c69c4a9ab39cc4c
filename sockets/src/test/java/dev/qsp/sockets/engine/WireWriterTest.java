package dev.qsp.sockets.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The big-endian writer of message bodies (SPEC.md conventions): exact bytes for every width, values that do not
 * fit their field refused (the engine never truncates a length silently), growth past the initial capacity, and
 * the patches of lengths known only after writing.
 */
class WireWriterTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void everyWidthBigEndianAndGrowingFromOneByte() {
        WireWriter w = new WireWriter(1);
        w.u8(0x1FF).u16(0xFFFF).u16(0x0102).u24(0xFFFFFF).u24(0x010203).u32(0x01020304).u32(-1)
                .bytes(new byte[] {9, 8}).lp8(new byte[] {7}).lp16(new byte[] {6}).lp24(new byte[] {5}).ascii8("Az");
        assertEquals("ff" + "ffff" + "0102" + "ffffff" + "010203" + "01020304" + "ffffffff" + "0908" + "0107" + "000106"
                + "00000105" + "02417a", HEX.formatHex(w.toByteArray()));
        assertEquals(w.toByteArray().length, w.length());
        assertEquals("", HEX.formatHex(new WireWriter().toByteArray()));
        WireWriter big = new WireWriter(2);
        big.bytes(new byte[5]);
        assertEquals(5, big.toByteArray().length);
    }

    @Test
    void valuesOutsideTheirFieldAreRefused() {
        WireWriter w = new WireWriter();
        assertEquals("u16 out of range: 65536", assertThrows(IllegalArgumentException.class, () -> w.u16(0x10000)).getMessage());
        assertEquals("u16 out of range: -1", assertThrows(IllegalArgumentException.class, () -> w.u16(-1)).getMessage());
        assertEquals("u24 out of range: 16777216",
                assertThrows(IllegalArgumentException.class, () -> w.u24(0x1000000)).getMessage());
        assertEquals("u24 out of range: -1", assertThrows(IllegalArgumentException.class, () -> w.u24(-1)).getMessage());
        assertEquals("lp8 field too long: 256",
                assertThrows(IllegalArgumentException.class, () -> w.lp8(new byte[256])).getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.lp16(new byte[0x10000]));
        assertEquals(0, w.length(), "nothing written by a refused value");
        w.u16(0).u24(0).lp8(new byte[255]);
        assertEquals(2 + 3 + 1 + 255, w.length());
    }

    @Test
    void patchesOverwriteInPlace() {
        WireWriter w = new WireWriter();
        w.u16(0).u24(0).u8(0xAA);
        w.patchU16(0, 0x0102);
        w.patchU24(2, 0x030405);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, (byte) 0xAA}, w.toByteArray());
    }
}
