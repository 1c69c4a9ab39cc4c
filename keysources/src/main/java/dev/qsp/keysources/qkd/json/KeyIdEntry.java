package dev.qsp.keysources.qkd.json;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One element of "Key IDs" (ETSI GS QKD 014 §6.4).
 *
 * @param keyId the key ID (UUID text)
 */
public record KeyIdEntry(@JsonProperty("key_ID") String keyId) {
}
