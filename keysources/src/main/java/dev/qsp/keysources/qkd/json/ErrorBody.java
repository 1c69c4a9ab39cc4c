package dev.qsp.keysources.qkd.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * "Error" (ETSI GS QKD 014 §6.5), the body of 400, 401 and 503 answers.
 *
 * @param message the KME's explanation
 * @param details further details, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(
        @JsonProperty("message") String message,
        @JsonProperty("details") List<Map<String, Object>> details) {

    /**
     * An error body with a message only.
     *
     * @param message the explanation
     * @return an error body without details
     */
    public static ErrorBody of(String message) {
        return new ErrorBody(message, null);
    }
}
