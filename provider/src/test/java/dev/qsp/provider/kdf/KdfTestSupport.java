package dev.qsp.provider.kdf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.qsp.provider.QspProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.KDF;

/** Shared helpers of the QSP-KDF tests. */
final class KdfTestSupport {
    static final HexFormat HEX = HexFormat.of();
    static final String STAGE = QspSecretKey.STAGE_SECRET;

    private KdfTestSupport() {}

    /** A fresh {@code QSP-KDF} from an explicit provider instance (no global registration). */
    static KDF kdf() {
        try {
            return KDF.getInstance(QspKdfSpi.ALGORITHM, new QspProvider());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] unhex(JsonNode node) {
        return node == null || node.isNull() ? null : HEX.parseHex(node.asText());
    }

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    static QspSecretKey stageKey(byte[] b) {
        return new QspSecretKey(b, STAGE);
    }

    static JsonNode readJson(String resource) {
        try (InputStream in = KdfTestSupport.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("missing test resource " + resource);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String readText(String resource) {
        try (InputStream in = KdfTestSupport.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
