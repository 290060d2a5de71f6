package srg.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import srg.UserError;
import srg.chat.Completion;
import srg.chat.SamplingParams;
import srg.chat.ThinkTags;
import srg.engine.generate.SampleJob;
import srg.engine.generate.SampleSink;
import srg.engine.generate.TokenEvent;
import srg.engine.generate.TokenLogprobs;
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

    private static final String SHUTTING_DOWN = "the server is shutting down";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServedModels models;
    private final int maxQueue;
    private final ThinkTags reasoningTags;

    /** @param reasoningTags the tags of {@code --reasoning-parser think}, or null for none */
    ChatCompletions(ServedModels models, int maxQueue, ThinkTags reasoningTags) {
        this.models = models;
        this.maxQueue = maxQueue;
        this.reasoningTags = reasoningTags;
    }

    /** Why every job still running at shutdown is cancelled. */
    static String shutdownReason() {
        return SHUTTING_DOWN;
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
        Events events = new Events();
        SampleJob job = SampleJob.chat(tokens, request.conversation(), (int) seedAndFirst[1], request.n(), params, events);
        if (request.topLogprobs() >= 0) {
            job = job.withLogprobs(request.topLogprobs());
        }
        if (request.stream()) {
            job = job.withTextDeltas();
        }
        boolean opensReasoning = reasoningTags != null && ReasoningParser.opensReasoning(prompt, reasoningTags);
        Answer answer = new Answer(exchange, model, job, request, tokens.length, opensReasoning);
        if (!model.submit(job, maxQueue)) {
            throw ApiError.queueFull(model.name, maxQueue);
        }
        try {
            if (request.stream()) {
                answer.stream(events.queue);
            } else {
                answer.whole(events.queue);
            }
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

    /** The scheduler's events for one request, handed to the request's thread. */
    private static final class Events implements SampleSink {
        final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();

        @Override
        public void token(TokenEvent event) {
            queue.add(event);
        }

        @Override
        public void finished(int sample, Completion completion, String tail) {
            queue.add(new Finished(sample, completion, tail));
        }
    }

    private record Finished(int sample, Completion completion, String tail) {}

    /** Writes the answer to one request. */
    private final class Answer {
        private final HttpExchange exchange;
        private final ServedModel model;
        private final SampleJob job;
        private final ChatRequest request;
        private final int promptTokens;
        private final boolean opensReasoning;
        private final String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        private final long created = System.currentTimeMillis() / 1000;

        Answer(HttpExchange exchange, ServedModel model, SampleJob job, ChatRequest request, int promptTokens,
                boolean opensReasoning) {
            this.exchange = exchange;
            this.model = model;
            this.job = job;
            this.request = request;
            this.promptTokens = promptTokens;
            this.opensReasoning = opensReasoning;
        }

        private int choice(int sample) {
            return sample - job.firstIndex();
        }

        void whole(BlockingQueue<Object> queue) throws IOException {
            int n = request.n();
            Completion[] done = new Completion[n];
            List<List<TokenEvent>> tokens = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                tokens.add(new ArrayList<>());
            }
            for (int left = n; left > 0; ) {
                Object e = take(queue);
                if (e instanceof TokenEvent t && job.topLogprobs() >= 0) {
                    tokens.get(choice(t.sample())).add(t);
                } else if (e instanceof Finished f) {
                    done[choice(f.sample())] = f.completion();
                    left--;
                }
            }
            for (Completion c : done) {
                if (c.isError()) {
                    throw failure(c);
                }
            }
            ObjectNode root = head("chat.completion");
            ArrayNode choices = root.putArray("choices");
            int completionTokens = 0;
            for (int i = 0; i < n; i++) {
                Completion c = done[i];
                completionTokens += c.completionTokens();
                ObjectNode choice = choices.addObject().put("index", i);
                ObjectNode message = choice.putObject("message").put("role", "assistant");
                if (reasoningTags != null) {
                    ReasoningParser parser = new ReasoningParser(reasoningTags, opensReasoning);
                    ReasoningParser.Parts a = parser.accept(c.text());
                    ReasoningParser.Parts b = parser.finish();
                    String content = a.content() + b.content();
                    message.put("content", parser.reasoned() && content.isEmpty() ? null : content);
                    message.put("reasoning_content", parser.reasoned() ? a.reasoning() + b.reasoning() : null);
                } else {
                    message.put("content", c.text());
                }
                if (job.topLogprobs() >= 0) {
                    ArrayNode content = choice.putObject("logprobs").putArray("content");
                    tokens.get(i).forEach(t -> content.add(logprob(t.token(), t.logprobs())));
                } else {
                    choice.putNull("logprobs");
                }
                choice.put("finish_reason", c.finishReason().wireName());
            }
            root.set("usage", usage(completionTokens));
            OpenAiServer.sendJson(exchange, 200, root);
        }

        void stream(BlockingQueue<Object> queue) throws IOException {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            int n = request.n();
            ReasoningParser[] parsers = new ReasoningParser[n];
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            for (int i = 0; i < n; i++) {
                if (reasoningTags != null) {
                    parsers[i] = new ReasoningParser(reasoningTags, opensReasoning);
                }
                ObjectNode delta = JSON.createObjectNode().put("role", "assistant").put("content", "");
                event(pending, chunk(i, delta, null, null));
            }
            if (!send(out, pending)) {
                return;
            }
            int completionTokens = 0;
            List<Object> batch = new ArrayList<>();
            for (int left = n; left > 0; ) {
                batch.clear();
                try {
                    batch.add(take(queue));
                } catch (ApiError e) {
                    event(pending, e.toJson());
                    finish(out, pending);
                    return;
                }
                queue.drainTo(batch);
                for (Object e : batch) {
                    if (e instanceof TokenEvent t) {
                        int i = choice(t.sample());
                        event(pending, chunk(i, delta(parsers[i], t.delta(), false),
                                t.logprobs() == null ? null : logprob(t.token(), t.logprobs()), null));
                    } else if (e instanceof Finished f) {
                        int i = choice(f.sample());
                        left--;
                        if (f.completion().isError()) {
                            model.cancel(job, "another sample of the request failed");
                            event(pending, failure(f.completion()).toJson());
                            finish(out, pending);
                            return;
                        }
                        completionTokens += f.completion().completionTokens();
                        ObjectNode delta = delta(parsers[i], f.tail(), true);
                        event(pending, chunk(i, delta, null, f.completion().finishReason().wireName()));
                    }
                }
                if (!send(out, pending)) {
                    return;
                }
            }
            if (request.includeUsage()) {
                ObjectNode last = head("chat.completion.chunk");
                last.putArray("choices");
                last.set("usage", usage(completionTokens));
                event(pending, last);
            }
            finish(out, pending);
        }

        /** What a piece of text adds, split by the reasoning parser when there is one. */
        private ObjectNode delta(ReasoningParser parser, String text, boolean last) {
            ObjectNode delta = JSON.createObjectNode();
            if (parser == null) {
                if (!text.isEmpty() || !last) {
                    delta.put("content", text);
                }
                return delta;
            }
            ReasoningParser.Parts parts = parser.accept(text);
            if (last) {
                ReasoningParser.Parts rest = parser.finish();
                parts = new ReasoningParser.Parts(parts.reasoning() + rest.reasoning(), parts.content() + rest.content());
            }
            if (!parts.reasoning().isEmpty()) {
                delta.put("reasoning_content", parts.reasoning());
            }
            if (!parts.content().isEmpty()) {
                delta.put("content", parts.content());
            }
            return delta;
        }

        private ObjectNode chunk(int index, ObjectNode delta, ObjectNode logprob, String finishReason) {
            ObjectNode root = head("chat.completion.chunk");
            ObjectNode choice = root.putArray("choices").addObject().put("index", index);
            choice.set("delta", delta);
            if (logprob != null) {
                choice.putObject("logprobs").putArray("content").add(logprob);
            } else {
                choice.putNull("logprobs");
            }
            choice.put("finish_reason", finishReason);
            return root;
        }

        private ObjectNode head(String object) {
            return JSON.createObjectNode().put("id", id).put("object", object).put("created", created).put("model", model.name);
        }

        private ObjectNode usage(int completionTokens) {
            return JSON.createObjectNode().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                    .put("total_tokens", promptTokens + completionTokens);
        }

        private ObjectNode logprob(long token, TokenLogprobs lp) {
            ObjectNode node = tokenNode(token, lp.logprob());
            ArrayNode top = node.putArray("top_logprobs");
            for (int j = 0; j < lp.topIds().length; j++) {
                top.add(tokenNode(lp.topIds()[j], lp.topLogprobs()[j]));
            }
            return node;
        }

        private ObjectNode tokenNode(long token, float logprob) {
            String text = model.model.tokenizer().decode(new long[] {token});
            ObjectNode node = JSON.createObjectNode().put("token", text).put("logprob", logprob);
            ArrayNode bytes = node.putArray("bytes");
            for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                bytes.add(b & 0xff);
            }
            return node;
        }

        /** Waits for the scheduler; a request thread interrupted at shutdown gives up on its job. */
        private Object take(BlockingQueue<Object> queue) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                model.cancel(job, SHUTTING_DOWN);
                throw ApiError.unavailable("shutting_down", SHUTTING_DOWN);
            }
        }

        private ApiError failure(Completion c) {
            return SHUTTING_DOWN.equals(c.error()) ? ApiError.unavailable("shutting_down", SHUTTING_DOWN)
                    : ApiError.internal("sampling failed: " + c.error());
        }

        /** Writes what is pending; false when the client has gone (its samples are then cancelled). */
        private boolean send(OutputStream out, ByteArrayOutputStream pending) {
            try {
                pending.writeTo(out);
                out.flush();
                pending.reset();
                return true;
            } catch (IOException e) {
                model.cancel(job, "the client closed the connection");
                return false;
            }
        }

        private void finish(OutputStream out, ByteArrayOutputStream pending) throws IOException {
            pending.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            if (send(out, pending)) {
                out.close();
            }
        }
    }

    private static void event(ByteArrayOutputStream pending, JsonNode data) throws IOException {
        pending.write("data: ".getBytes(StandardCharsets.UTF_8));
        JSON.writeValue(pending, data);
        pending.write("\n\n".getBytes(StandardCharsets.UTF_8));
    }
}
