package srg.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import srg.chat.Conversation;
import srg.chat.Message;

/**
 * A {@code POST /v1/chat/completions} body, checked. Every mistake is a 400 that names the
 * parameter. Fields this server cannot honour (penalties, logit bias, tools, JSON mode) are
 * refused rather than silently ignored when they would change the answer; fields that would not
 * (user, metadata, ...) are ignored, as vLLM does.
 *
 * @param maxTokens null when the request leaves it to the server (the rest of the context)
 * @param seed null when the request gives none
 * @param topLogprobs -1 without {@code logprobs}, else the number of alternatives per token
 * @param templateKwargs vLLM's {@code chat_template_kwargs} (e.g. {@code enable_thinking})
 */
record ChatRequest(String model, Conversation conversation, int n, double temperature, double topP, int topK,
        Integer maxTokens, List<String> stop, Long seed, boolean stream, boolean includeUsage, int topLogprobs,
        Map<String, Object> templateKwargs) {

    static final int MAX_N = 128;
    static final int MAX_TOP_LOGPROBS = 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    static ChatRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.badRequest(null, "the request body must be a JSON object");
        }
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw ApiError.badRequest("model", "model is required: the name of a served model (GET /v1/models lists them)");
        }
        Conversation conversation = messages(body.get("messages"));
        int n = integer(body, "n", 1, 1, MAX_N);
        double temperature = number(body, "temperature", 1.0, 0, 100);
        double topP = number(body, "top_p", 1.0, 0, 1);
        if (topP == 0) {
            throw ApiError.badRequest("top_p", "top_p must be in (0, 1], got 0");
        }
        int topK = integer(body, "top_k", 0, -1, Integer.MAX_VALUE);
        Integer maxTokens = null;
        for (String field : new String[] {"max_tokens", "max_completion_tokens"}) {
            if (present(body, field)) {
                maxTokens = integer(body, field, 0, 1, Integer.MAX_VALUE);
            }
        }
        List<String> stop = stop(body.get("stop"));
        Long seed = null;
        if (present(body, "seed")) {
            JsonNode s = body.get("seed");
            if (!s.isIntegralNumber() || !s.canConvertToLong()) {
                throw ApiError.badRequest("seed", "seed must be an integer, got " + s);
            }
            seed = s.asLong();
        }
        boolean stream = bool(body, "stream");
        boolean includeUsage = false;
        JsonNode options = body.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw ApiError.badRequest("stream_options", "stream_options must be an object");
            }
            includeUsage = bool(options, "include_usage");
        }
        boolean logprobs = bool(body, "logprobs");
        int topLogprobs = -1;
        if (present(body, "top_logprobs")) {
            int top = integer(body, "top_logprobs", 0, 0, MAX_TOP_LOGPROBS);
            if (!logprobs) {
                throw ApiError.badRequest("top_logprobs", "top_logprobs needs logprobs: true");
            }
            topLogprobs = top;
        } else if (logprobs) {
            topLogprobs = 0;
        }
        refuseUnsupported(body);
        Map<String, Object> kwargs = Map.of();
        JsonNode k = body.get("chat_template_kwargs");
        if (k != null && !k.isNull()) {
            if (!k.isObject()) {
                throw ApiError.badRequest("chat_template_kwargs", "chat_template_kwargs must be an object");
            }
            kwargs = JSON.convertValue(k, JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class));
        }
        return new ChatRequest(model.asText(), conversation, n, temperature, topP, topK <= 0 ? 0 : topK, maxTokens, stop,
                seed, stream, includeUsage, topLogprobs, kwargs);
    }

    private static Conversation messages(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiError.badRequest("messages", "messages must be a non-empty array of {role, content}");
        }
        List<Message> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            String where = "messages[" + i + "]";
            JsonNode m = messages.get(i);
            if (!m.isObject() || !m.path("role").isTextual()) {
                throw ApiError.badRequest(where, where + " must be an object with a string role");
            }
            out.add(new Message(m.get("role").asText(), content(where + ".content", m.get("content"))));
        }
        return new Conversation(out);
    }

    /** A string, null, or a list of text parts (joined), as the API allows. */
    private static String content(String where, JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw ApiError.badRequest(where, where + ": only text parts ({\"type\": \"text\", \"text\": ...}) are supported, got "
                            + part.path("type"));
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        throw ApiError.badRequest(where, where + " must be a string or a list of text parts");
    }

    private static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (stop.isTextual()) {
            out.add(stop.asText());
        } else if (stop.isArray()) {
            for (JsonNode s : stop) {
                if (!s.isTextual()) {
                    throw ApiError.badRequest("stop", "stop must be a string or a list of strings, got " + s);
                }
                out.add(s.asText());
            }
        } else {
            throw ApiError.badRequest("stop", "stop must be a string or a list of strings");
        }
        if (out.stream().anyMatch(String::isEmpty)) {
            throw ApiError.badRequest("stop", "stop strings must not be empty");
        }
        return out;
    }

    /** Fields whose non-default values would change the answer in ways this server does not implement. */
    private static void refuseUnsupported(JsonNode body) {
        for (String penalty : new String[] {"presence_penalty", "frequency_penalty"}) {
            if (present(body, penalty) && number(body, penalty, 0, -2, 2) != 0) {
                throw ApiError.badRequest(penalty, penalty + " is not supported by this server (only 0)");
            }
        }
        if (present(body, "repetition_penalty") && number(body, "repetition_penalty", 1, 0, 100) != 1) {
            throw ApiError.badRequest("repetition_penalty", "repetition_penalty is not supported by this server (only 1)");
        }
        JsonNode bias = body.get("logit_bias");
        if (bias != null && !bias.isNull() && !bias.isEmpty()) {
            throw ApiError.badRequest("logit_bias", "logit_bias is not supported by this server");
        }
        for (String field : new String[] {"tools", "functions"}) {
            JsonNode t = body.get(field);
            if (t != null && !t.isNull() && !t.isEmpty()) {
                throw ApiError.badRequest(field, field + " (tool calling) is not supported by this server");
            }
        }
        JsonNode format = body.get("response_format");
        if (format != null && !format.isNull() && !"text".equals(format.path("type").asText())) {
            throw ApiError.badRequest("response_format", "only response_format {\"type\": \"text\"} is supported by this server");
        }
    }

    private static boolean present(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v != null && !v.isNull();
    }

    private static int integer(JsonNode body, String field, int fallback, int min, int max) {
        if (!present(body, field)) {
            return fallback;
        }
        JsonNode v = body.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw ApiError.badRequest(field, field + " must be an integer in [" + min + ", " + max + "], got " + v);
        }
        return v.asInt();
    }

    private static double number(JsonNode body, String field, double fallback, double min, double max) {
        if (!present(body, field)) {
            return fallback;
        }
        JsonNode v = body.get(field);
        if (!v.isNumber() || !(v.asDouble() >= min && v.asDouble() <= max)) {
            throw ApiError.badRequest(field, field + " must be a number in [" + min + ", " + max + "], got " + v);
        }
        return v.asDouble();
    }

    private static boolean bool(JsonNode body, String field) {
        if (!present(body, field)) {
            return false;
        }
        JsonNode v = body.get(field);
        if (!v.isBoolean()) {
            throw ApiError.badRequest(field, field + " must be true or false, got " + v);
        }
        return v.asBoolean();
    }
}
