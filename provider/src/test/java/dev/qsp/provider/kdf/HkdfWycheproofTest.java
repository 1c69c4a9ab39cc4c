package dev.qsp.provider.kdf;

import static dev.qsp.provider.kdf.KdfTestSupport.HEX;
import static dev.qsp.provider.kdf.KdfTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import javax.crypto.KDF;
import javax.crypto.spec.HKDFParameterSpec;
import org.junit.jupiter.api.Test;

/**
 * The HKDF-SHA384 building blocks of the SPI ({@link Hkdf#extract} then {@link Hkdf#expand}) against Wycheproof
 * {@code hkdf_sha384_test.json} (C2SP/wycheproof @ dac1dd4, Apache-2.0; copied with LICENSE and SOURCE.txt).
 *
 * <p>RFC 5869 Appendix A has test cases for SHA-256 and SHA-1 only, none for SHA-384, so there is no RFC
 * known-answer test here; Wycheproof is the public SHA-384 source.
 */
class HkdfWycheproofTest {
    private static final String RESOURCE = "/vectors/wycheproof/hkdf_sha384_test.json";

    @Test
    void allWycheproofCasesHaveTheExpectedOutcome() throws Exception {
        JsonNode root = KdfTestSupport.readJson(RESOURCE);
        assertEquals("HKDF-SHA-384", root.get("algorithm").asText());
        Hkdf hkdf = new Hkdf();
        KDF jdk = KDF.getInstance("HKDF-SHA384");
        int valid = 0;
        int invalid = 0;
        for (JsonNode group : root.get("testGroups")) {
            for (JsonNode t : group.get("tests")) {
                String id = "tcId " + t.get("tcId").asInt();
                byte[] ikm = HEX.parseHex(t.get("ikm").asText());
                byte[] salt = HEX.parseHex(t.get("salt").asText());
                byte[] info = HEX.parseHex(t.get("info").asText());
                int size = t.get("size").asInt();
                byte[] prk = hkdf.extract(salt, ikm);
                switch (t.get("result").asText()) {
                    case "valid" -> {
                        String okm = t.get("okm").asText();
                        assertEquals(okm, hex(hkdf.expand(prk, info, size)), id);
                        // The JDK's HKDF agrees, so choosing Mac over KDF changes speed, not output.
                        byte[] viaJdk = jdk.deriveData(HKDFParameterSpec.ofExtract().addIKM(ikm)
                                .addSalt(salt).thenExpand(info, size));
                        assertEquals(okm, hex(viaJdk), id + " (JDK HKDF-SHA384)");
                        valid++;
                    }
                    case "invalid" -> {
                        // Wycheproof's only invalid HKDF cases ask for more than 255 * 48 bytes.
                        assertEquals("[\"SizeTooLarge\"]", t.get("flags").toString(), id);
                        IllegalArgumentException e =
                                assertThrows(IllegalArgumentException.class, () -> hkdf.expand(prk, info, size), id);
                        assertEquals("HKDF-Expand length " + size + " is out of range 1..12240", e.getMessage());
                        invalid++;
                    }
                    default -> throw new AssertionError(id + ": unexpected result " + t.get("result"));
                }
            }
        }
        assertEquals(root.get("numberOfTests").asInt(), valid + invalid);
        assertEquals(80, valid);
        assertEquals(3, invalid);
    }

    @Test
    void emptySaltIsZeroSalt() {
        Hkdf hkdf = new Hkdf();
        byte[] ikm = {1, 2, 3};
        assertArrayEquals(hkdf.extract(new byte[48], ikm), hkdf.extract(new byte[0], ikm));
    }

    @Test
    void expandRejectsShortPrkAndZeroLength() {
        Hkdf hkdf = new Hkdf();
        assertEquals("HKDF-Expand PRK is 47 bytes, at least 48 required (RFC 5869 §2.3)",
                assertThrows(IllegalArgumentException.class, () -> hkdf.expand(new byte[47], new byte[0], 48))
                        .getMessage());
        assertEquals("HKDF-Expand length 0 is out of range 1..12240",
                assertThrows(IllegalArgumentException.class, () -> hkdf.expand(new byte[48], new byte[0], 0))
                        .getMessage());
    }

    /** The HkdfLabel layout of SPEC.md §3, byte for byte. */
    @Test
    void hkdfLabelLayout() {
        byte[] info = Hkdf.hkdfLabel("derived".getBytes(StandardCharsets.US_ASCII), new byte[0], 48);
        assertEquals("0030" + "0c" + hex("qsp1 derived".getBytes(StandardCharsets.US_ASCII)) + "00", hex(info));
        byte[] withContext = Hkdf.hkdfLabel("c2s key".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0, 0, 0, 7}, 32);
        assertEquals("0020" + "0c" + hex("qsp1 c2s key".getBytes(StandardCharsets.US_ASCII)) + "04" + "00000007",
                hex(withContext));
    }
}
