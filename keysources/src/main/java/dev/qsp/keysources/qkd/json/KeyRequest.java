package dev.qsp.keysources.qkd.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** "Key request" (ETSI GS QKD 014 §6.2), the body of {@code POST .../enc_keys}. {@code size} is in bits.
 *
 * @param number                how many keys, or {@code null} for the KME's default (1)
 * @param size                  the key size in bits, or {@code null} for the KME's default
 * @param additionalSlaveSaeIds further slave SAEs, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KeyRequest(
        @JsonProperty("number") Integer number,
        @JsonProperty("size") Integer size,
        @JsonProperty("additional_slave_SAE_IDs") List<String> additionalSlaveSaeIds) {
}
