package dev.qsp.keysources.qkd.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One element of a Key container's {@code keys} (ETSI GS QKD 014 §6.3): a key ID (UUID text) and the key,
 * base64-encoded. {@link #toString()} never shows the key.
 *
 * @param keyId the key ID (UUID text)
 * @param key   the key, base64-encoded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyEntry(
        @JsonProperty("key_ID") String keyId,
        @JsonProperty("key") String key) {

    @Override
    public String toString() {
        return "KeyEntry[key_ID=" + keyId + ", key=(" + (key == null ? "absent" : "hidden") + ")]";
    }
}
