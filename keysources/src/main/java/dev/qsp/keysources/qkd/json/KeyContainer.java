package dev.qsp.keysources.qkd.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** "Key container" (ETSI GS QKD 014 §6.3), the answer to enc_keys and dec_keys.
 *
 * @param keys the keys delivered
 */
public record KeyContainer(@JsonProperty("keys") List<KeyEntry> keys) {
}
