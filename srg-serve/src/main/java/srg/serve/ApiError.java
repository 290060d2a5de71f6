package srg.serve;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A request the server answers with an error, in the OpenAI API's shape:
 * {@code {"error": {"message", "type", "param", "code"}}} with the matching HTTP status, so that
 * clients (the {@code openai} library, garak, promptfoo) raise their usual exception.
 */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final int status;
    final String type;
    final String param;
    final String code;

    private ApiError(int status, String type, String param, String code, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /** 400: a bad parameter, named. */
    static ApiError badRequest(String param, String message) {
        return new ApiError(400, "invalid_request_error", param, null, message);
    }

    static ApiError unauthorized() {
        return new ApiError(401, "invalid_request_error", null, "invalid_api_key",
                "missing or wrong API key: send the header Authorization: Bearer KEY");
    }

    static ApiError unknownModel(String model, Iterable<String> served) {
        return new ApiError(404, "invalid_request_error", "model", "model_not_found",
                "the model '" + model + "' does not exist; this server serves " + String.join(", ", served));
    }

    static ApiError notFound(String method, String path) {
        return new ApiError(404, "invalid_request_error", null, "not_found", "no route " + method + " " + path
                + "; this server answers POST /v1/chat/completions, GET /v1/models and GET /health");
    }

    static ApiError methodNotAllowed(String method, String path) {
        return new ApiError(405, "invalid_request_error", null, "method_not_allowed", method + " is not allowed on " + path);
    }

    static ApiError tooLarge(long limit) {
        return new ApiError(413, "invalid_request_error", null, "request_too_large",
                "the request body is larger than " + limit + " bytes");
    }

    /** 429: the model's queue is full; the client should retry later. */
    static ApiError queueFull(String model, int maxQueue) {
        return new ApiError(429, "requests", null, "rate_limit_exceeded",
                "the queue of model '" + model + "' is full (" + maxQueue + " requests waiting); retry later");
    }

    /** 503: not ready yet, or going away. */
    static ApiError unavailable(String code, String message) {
        return new ApiError(503, "server_error", null, code, message);
    }

    static ApiError internal(String message) {
        return new ApiError(500, "server_error", null, "internal_error", message);
    }

    ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", getMessage());
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return root;
    }
}
