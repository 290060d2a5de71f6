package srg.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import srg.UserError;
import srg.chat.SamplingParams;
import srg.chat.ThinkTags;
import srg.engine.generate.SampleJob;
import srg.model.OpenAiChatModel;

/**
 * {@code POST /v1/chat/completions}: checks the request, renders and tokenizes the prompt on the
 * request's own thread, hands one job with its n samples to the model's scheduler, and answers
 * with the whole completion or, with {@code stream}, with server-sent events as tokens come.
 *
 * <p>Seeds: the n samples of a request with seed S are the samples 0..n-1 that {@code srg generate
 * --seed S --n n} draws for the same conversation and settings. srg's own HTTP client (which
 * derives each request's seed from its run seed, the conversation and the first sample index)
 * also sends headers {@code Srg-Seed} and {@code Srg-First-Sample}; when the request's seed is
 * the one srg derives from them, the samples are the ones in-process {@code srg eval} draws, so
 * an eval through the server gives the in-process results.
 */
final class ChatCompletions {

    /** Why requests still running at shutdown end with an error. */
    static final String SHUTTING_DOWN = "the server is shutting down";

    private final ServedModels models;
    private final int maxQueue;
    private final ThinkTags reasoningTags;

    /** @param reasoningTags the reasoning parser's think tags, or null for none */
    ChatCompletions(ServedModels models, int maxQueue, ThinkTags reasoningTags) {
        this.models = models;
        this.maxQueue = maxQueue;
        this.reasoningTags = reasoningTags;
    }

    void handle(HttpExchange exchange, JsonNode body) throws IOException {
        ChatRequest request = ChatRequest.parse(body);
        ServedModel model = models.get(request.model());
        String prompt;
        try {
            prompt = model.render(request.conversation(), request.templateKwargs());
        } catch (UserError e) {
            throw ApiError.badRequest("messages", e.getMessage());
        }
        long[] tokens = model.tokens(prompt);
        int context = model.contextLength();
        if (tokens.length >= context) {
            throw ApiError.badRequest("messages", "the prompt is " + tokens.length + " tokens; the model's context is " + context);
        }
        int maxTokens = request.maxTokens() == null ? context - tokens.length : request.maxTokens();
        if (tokens.length + maxTokens > context) {
            throw ApiError.badRequest("max_tokens", "the prompt (" + tokens.length + " tokens) and max_tokens (" + maxTokens
                    + ") exceed the model's context of " + context + " tokens");
        }
        long[] seedAndFirst = seedAndFirstSample(exchange, request);
        SamplingParams params = new SamplingParams(request.temperature(), request.topP(), request.topK(), maxTokens,
                request.stop(), seedAndFirst[0]);
        boolean opensReasoning = reasoningTags != null && ReasoningParser.opensReasoning(prompt, reasoningTags);
        ChatAnswer answer = new ChatAnswer(exchange, model, request, tokens.length, reasoningTags, opensReasoning);
        SampleJob job = SampleJob.chat(tokens, request.conversation(), (int) seedAndFirst[1], request.n(), params, answer.sink());
        if (request.topLogprobs() >= 0) {
            job = job.withLogprobs(request.topLogprobs());
        }
        if (request.stream()) {
            job = job.withTextDeltas();
        }
        if (!model.submit(job, maxQueue)) {
            throw ApiError.queueFull(model.name, maxQueue);
        }
        try {
            answer.write(job);
        } finally {
            model.done(job);
        }
    }

    /** {base seed, first sample index} for the job (see the class comment). */
    private static long[] seedAndFirstSample(HttpExchange exchange, ChatRequest request) {
        if (request.seed() == null) {
            return new long[] {ThreadLocalRandom.current().nextLong(), 0};
        }
        String seed = exchange.getRequestHeaders().getFirst(OpenAiChatModel.SEED_HEADER);
        String first = exchange.getRequestHeaders().getFirst(OpenAiChatModel.FIRST_SAMPLE_HEADER);
        if (seed != null && first != null) {
            long base;
            int index;
            try {
                base = Long.parseLong(seed.trim());
                index = Integer.parseInt(first.trim());
            } catch (NumberFormatException e) {
                throw ApiError.badRequest(null, "headers " + OpenAiChatModel.SEED_HEADER + " and " + OpenAiChatModel.FIRST_SAMPLE_HEADER + " must be integers");
            }
            if (index >= 0 && OpenAiChatModel.requestSeed(base, request.conversation(), index) == request.seed()) {
                return new long[] {base, index};
            }
        }
        return new long[] {request.seed(), 0};
    }
}
