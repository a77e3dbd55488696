package io.payout.platform.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.Response;

/** Bodies of answers from other HTTP services, read leniently: the caller classifies what it could not read. */
public final class JsonResponses {
    private JsonResponses() {
    }

    /** The body as a JSON object; null when there is none, it is blank, not JSON, or not an object. */
    public static JsonNode objectOrNull(ObjectMapper mapper, Response response) {
        if (!response.hasEntity()) {
            return null;
        }
        String text = response.readEntity(String.class);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
