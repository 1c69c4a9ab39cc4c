package dev.qsp.keysources.qkd.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The one Jackson configuration shared by the client and the simulated KME. Unknown fields (the standard's
 * {@code *_extension} members, vendor additions) are ignored; scalars are not coerced from other JSON types,
 * so {@code "key_size": "256"} is malformed rather than silently accepted.
 */
public final class Etsi014Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private Etsi014Json() {
    }

    /**
     * Parses {@code json} as {@code type}. Callers must not put the exception's text in their own messages: it
     * may quote input, and input may be key material. {@link #location(IOException)} is safe to show.
     *
     * @param <T>  the record type
     * @param json the body
     * @param type the record class
     * @return the parsed record
     * @throws IOException if {@code json} is not a valid {@code type}
     */
    public static <T> T read(byte[] json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }

    /**
     * Encodes a record of this package (null components left out where the record says so).
     *
     * @param value a record of this package
     * @return its JSON encoding
     */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("internal error: cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * {@return where a parse failed ("line 1, column 7"), without any of the input's text}
     *
     * @param e the exception of {@link #read(byte[], Class)}
     */
    public static String location(IOException e) {
        if (e instanceof JsonProcessingException jpe && jpe.getLocation() != null) {
            return "line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr();
        }
        return "unknown position";
    }
}
