package dev.qsp.provider.kem;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.qsp.provider.QspProvider;

/** Shared helpers of the hybrid KEM tests: hex, vectors, deterministic randomness, foreign keys. */
final class KemTestSupport {
    static final QspProvider PROVIDER = new QspProvider();

    private KemTestSupport() {
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static byte[] concat(byte[]... parts) {
        return Der.concat(parts);
    }

    static byte[] range(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, from, to);
    }

    static JsonNode json(String resource) {
        try (InputStream in = KemTestSupport.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] resource(String resource) {
        try (InputStream in = KemTestSupport.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All tests of all groups of a Wycheproof file. */
    static List<JsonNode> wycheproof(String file) {
        JsonNode root = json("/vectors/wycheproof/testvectors_v1/" + file);
        List<JsonNode> tests = new ArrayList<>();
        root.get("testGroups").forEach(g -> g.get("tests").forEach(tests::add));
        if (tests.size() != root.get("numberOfTests").asInt()) {
            throw new IllegalStateException(file + ": read " + tests.size() + " tests, header says "
                    + root.get("numberOfTests").asInt());
        }
        return tests;
    }

    static byte[] field(JsonNode test, String name) {
        return hex(test.get(name).asText());
    }

    /** A SecureRandom that returns the given bytes, in order, and fails if asked for more. */
    static final class FixedRandom extends SecureRandom {
        @Serial
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;
        private int offset;

        FixedRandom(byte[]... blocks) {
            this.bytes = concat(blocks);
        }

        @Override
        public void nextBytes(byte[] out) {
            if (offset + out.length > bytes.length) {
                throw new IllegalStateException("FixedRandom exhausted: asked for " + out.length + " bytes, "
                        + (bytes.length - offset) + " left");
            }
            System.arraycopy(bytes, offset, out, 0, out.length);
            offset += out.length;
        }

        boolean exhausted() {
            return offset == bytes.length;
        }
    }

    /** A deterministic SecureRandom for tests (java.util.Random with a fixed seed: not for real keys). */
    static final class SeededRandom extends SecureRandom {
        @Serial
        private static final long serialVersionUID = 1L;
        private final Random random;

        SeededRandom(long seed) {
            this.random = new Random(seed);
        }

        @Override
        public void nextBytes(byte[] out) {
            random.nextBytes(out);
        }
    }

    /** A key object from "another provider": only algorithm, format and encoding. */
    record ForeignPublicKey(String getAlgorithm, String getFormat, byte[] getEncoded) implements PublicKey {
    }

    record ForeignPrivateKey(String getAlgorithm, String getFormat, byte[] getEncoded) implements PrivateKey {
    }
}
