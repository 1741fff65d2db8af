package dev.redock.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON configuration of Redock: ISO-8601 times, no nulls in output, unknown properties refused. */
public final class Json {

    private static final ObjectMapper MAPPER = create();

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Makes the mapper's reader of {@code type} now: its deserializers, which Jackson finds by reflection over the records
     * (a few tenths of a second at a cold start), are then kept for every later read of that type.
     */
    public static void prepare(Class<?> type) {
        MAPPER.readerFor(type);
    }

    /** Records are written by their components only: convenience methods such as {@code isBindMount()} stay out. */
    public static ObjectMapper create() {
        return com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .disable(com.fasterxml.jackson.databind.MapperFeature.AUTO_DETECT_IS_GETTERS)
                .build()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }
}
