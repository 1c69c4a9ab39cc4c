package dev.qsp.keysources.qkd.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * "Status" (ETSI GS QKD 014 §6.1): what a KME reports for one master/slave SAE pair. Sizes are in bits.
 * Fields are boxed so that a missing field is visible as {@code null} and rejected by the client.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KmeStatus(
        @JsonProperty("source_KME_ID") String sourceKmeId,
        @JsonProperty("target_KME_ID") String targetKmeId,
        @JsonProperty("master_SAE_ID") String masterSaeId,
        @JsonProperty("slave_SAE_ID") String slaveSaeId,
        @JsonProperty("key_size") Integer keySize,
        @JsonProperty("stored_key_count") Integer storedKeyCount,
        @JsonProperty("max_key_count") Integer maxKeyCount,
        @JsonProperty("max_key_per_request") Integer maxKeyPerRequest,
        @JsonProperty("max_key_size") Integer maxKeySize,
        @JsonProperty("min_key_size") Integer minKeySize,
        @JsonProperty("max_SAE_ID_count") Integer maxSaeIdCount) {
}
