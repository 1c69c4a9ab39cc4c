package dev.qsp.keysources.qkd.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * "Status" (ETSI GS QKD 014 §6.1): what a KME reports for one master/slave SAE pair. Sizes are in bits.
 * Fields are boxed so that a missing field is visible as {@code null} and rejected by the client.
 *
 * @param sourceKmeId      the KME of the master SAE
 * @param targetKmeId      the KME of the slave SAE
 * @param masterSaeId      the master SAE (the one calling enc_keys)
 * @param slaveSaeId       the slave SAE (the one calling dec_keys)
 * @param keySize          the default key size
 * @param storedKeyCount   keys available for this pair
 * @param maxKeyCount      the most keys the KME stores for this pair
 * @param maxKeyPerRequest the most keys one request may ask for
 * @param maxKeySize       the largest key size
 * @param minKeySize       the smallest key size
 * @param maxSaeIdCount    the most additional slave SAE IDs a request may name
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
