package dev.qsp.keysources.qkd.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** "Key IDs" (ETSI GS QKD 014 §6.4), the body of {@code POST .../dec_keys}.
 *
 * @param keyIds the key IDs asked for
 */
public record KeyIds(@JsonProperty("key_IDs") List<KeyIdEntry> keyIds) {
}
