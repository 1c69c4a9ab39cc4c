package dev.qsp.kme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.qsp.keysources.qkd.HttpClientTransport;
import dev.qsp.keysources.qkd.KmeTransport.KmeHttpResponse;
import dev.qsp.keysources.qkd.QkdKeySource;
import dev.qsp.keysources.KeySource;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated KME's own behaviour: the standard's GET forms, its limits, and {@link KmeMain}'s material. */
class SimulatedKmeTest {

    private static String send(KmePair pair, String sae, String method, String path, String body) throws Exception {
        try (HttpClientTransport t = new HttpClientTransport(pair.clientContext(sae), Duration.ofSeconds(2),
                Duration.ofSeconds(5))) {
            URI base = pair.kmeOf(sae).baseUri();
            KmeHttpResponse r = t.exchange(method, URI.create(base + path),
                    body == null ? null : body.getBytes(StandardCharsets.UTF_8));
            return r.status() + " " + new String(r.body(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void getFormsAndLimitsFollowTheStandard() throws Exception {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(1L);
        try (KmePair pair = KmePair.start(KmeSettings.defaults(), r, new SecureRandom())) {
            String enc = send(pair, KmePair.SAE_A, "GET", "/api/v1/keys/SAE_B/enc_keys?number=2&size=128", null);
            assertTrue(enc.startsWith("200 {\"keys\":[{\"key_ID\":\""), enc);
            String id = enc.substring(enc.indexOf("\"key_ID\":\"") + 10, enc.indexOf("\"key_ID\":\"") + 46);
            String dec = send(pair, KmePair.SAE_B, "GET", "/api/v1/keys/SAE_A/dec_keys?key_ID=" + id, null);
            assertTrue(dec.startsWith("200 {\"keys\":[{\"key_ID\":\"" + id + "\",\"key\":\""), dec);
            assertEquals("400 {\"message\":\"number must be 1..16, got 17\"}",
                    send(pair, KmePair.SAE_A, "POST", "/api/v1/keys/SAE_B/enc_keys", "{\"number\":17}"));
            assertEquals("400 {\"message\":\"size must be a multiple of 8 in 64..1024, got 100\"}",
                    send(pair, KmePair.SAE_A, "POST", "/api/v1/keys/SAE_B/enc_keys", "{\"size\":100}"));
            assertEquals("400 {\"message\":\"request body is not a valid KeyRequest (line 1, column 2)\"}",
                    send(pair, KmePair.SAE_A, "POST", "/api/v1/keys/SAE_B/enc_keys", "{]"));
            assertEquals("400 {\"message\":\"key_ID is not a UUID\"}",
                    send(pair, KmePair.SAE_B, "POST", "/api/v1/keys/SAE_A/dec_keys", "{\"key_IDs\":[{\"key_ID\":\"x\"}]}"));
            assertEquals("400 {\"message\":\"additional_slave_SAE_IDs not supported (max_SAE_ID_count is 0)\"}",
                    send(pair, KmePair.SAE_A, "POST", "/api/v1/keys/SAE_B/enc_keys",
                            "{\"additional_slave_SAE_IDs\":[\"SAE_C\"]}"));
            assertEquals("404 {\"message\":\"no such resource: /api/v1/keys/SAE_B/other\"}",
                    send(pair, KmePair.SAE_A, "GET", "/api/v1/keys/SAE_B/other", null));
        }
    }

    @Test
    void boundedPendingKeysDropTheOldest() throws Exception {
        try (KmePair pair = KmePair.start(KmeSettings.defaults().withPool(2, true), new SecureRandom(), new SecureRandom())) {
            String[] ids = new String[3];
            for (int i = 0; i < 3; i++) {
                String enc = send(pair, KmePair.SAE_A, "POST", "/api/v1/keys/SAE_B/enc_keys", "{}");
                ids[i] = enc.substring(enc.indexOf("\"key_ID\":\"") + 10, enc.indexOf("\"key_ID\":\"") + 46);
            }
            String gone = send(pair, KmePair.SAE_B, "GET", "/api/v1/keys/SAE_A/dec_keys?key_ID=" + ids[0], null);
            assertTrue(gone.startsWith("400 "), gone);
            assertTrue(send(pair, KmePair.SAE_B, "GET", "/api/v1/keys/SAE_A/dec_keys?key_ID=" + ids[2], null).startsWith("200 "));
        }
    }

    @Test
    void kmeMainWritesMaterialThatQspSettingsCanUse(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (KmePair pair = KmeMain.start(dir, new PrintStream(out, true, StandardCharsets.UTF_8))) {
            String printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains(pair.kmeA().baseUri().toString()) && printed.contains("SAE_A")
                    && printed.contains(dir.resolve("sae-a.p12").toString()), printed);
            for (String f : new String[] {"kme-ca-truststore.p12", "kme-ca.pem", "sae-a.p12", "sae-b.p12"}) {
                assertTrue(Files.size(dir.resolve(f)) > 0, f);
            }
            QkdKeySource a = QkdKeySource.fromProperties(load(dir.resolve("sae-a.properties")));
            QkdKeySource b = QkdKeySource.fromProperties(load(dir.resolve("sae-b.properties")));
            KeySource.Initiation init = a.initiate();
            KeySource.Response resp = b.respond(init.offer());
            assertEquals(32, resp.secret().length);
            assertEquals(java.util.HexFormat.of().formatHex(resp.secret()),
                    java.util.HexFormat.of().formatHex(init.complete(resp.reply())));
            a.client().close();
            b.client().close();
        }
    }

    private static Properties load(Path file) throws Exception {
        Properties p = new Properties();
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            p.load(in);
        }
        return p;
    }
}
