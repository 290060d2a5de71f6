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
import srg.chat.Completion;
import srg.chat.ThinkTags;
import srg.engine.generate.SampleJob;
import srg.engine.generate.SampleSink;
import srg.engine.generate.TokenEvent;
import srg.engine.generate.TokenLogprobs;

/**
 * Writes the answer to one chat-completions request from its job's events: the whole completion
 * as JSON, or server-sent events as tokens come (a role chunk per choice, a chunk per token, a
 * finishing chunk per choice, the usage chunk when asked, then {@code data: [DONE]}). Errors
 * after the stream has begun go out as an error event before {@code [DONE]}.
 */
final class ChatAnswer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpExchange exchange;
    private final ServedModel model;
    private final ChatRequest request;
    private final int promptTokens;
    private final ThinkTags reasoningTags;
    private final boolean opensReasoning;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    private final long created = System.currentTimeMillis() / 1000;
    private SampleJob job;

    /**
     * @param reasoningTags the reasoning parser's tags, or null for none
     * @param opensReasoning whether the rendered prompt already opened the reasoning
     */
    ChatAnswer(HttpExchange exchange, ServedModel model, ChatRequest request, int promptTokens, ThinkTags reasoningTags,
            boolean opensReasoning) {
        this.exchange = exchange;
        this.model = model;
        this.request = request;
        this.promptTokens = promptTokens;
        this.reasoningTags = reasoningTags;
        this.opensReasoning = opensReasoning;
    }

    /** Where the job's scheduler puts its events, for the request's thread to take. */
    SampleSink sink() {
        return new SampleSink() {
            @Override
            public void token(TokenEvent event) {
                queue.add(event);
            }

            @Override
            public void finished(int sample, Completion completion, String tail) {
                queue.add(new Finished(sample, completion, tail));
            }
        };
    }

    private record Finished(int sample, Completion completion, String tail) {}

    /** Waits for the submitted job's samples and writes them, whole or streamed as the request asks. */
    void write(SampleJob submitted) throws IOException {
        this.job = submitted;
        if (request.stream()) {
            stream();
        } else {
            whole();
        }
    }

    private int choice(int sample) {
        return sample - job.firstIndex();
    }

    private void whole() throws IOException {
        int n = request.n();
        Completion[] done = new Completion[n];
        List<List<TokenEvent>> tokens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tokens.add(new ArrayList<>());
        }
        for (int left = n; left > 0; ) {
            Object e = take();
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

    private void stream() throws IOException {
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
                batch.add(take());
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
    private Object take() {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            model.cancel(job, ChatCompletions.SHUTTING_DOWN);
            throw ApiError.unavailable("shutting_down", ChatCompletions.SHUTTING_DOWN);
        }
    }

    private ApiError failure(Completion c) {
        return ChatCompletions.SHUTTING_DOWN.equals(c.error()) ? ApiError.unavailable("shutting_down", c.error())
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

    private static void event(ByteArrayOutputStream pending, JsonNode data) throws IOException {
        pending.write("data: ".getBytes(StandardCharsets.UTF_8));
        JSON.writeValue(pending, data);
        pending.write("\n\n".getBytes(StandardCharsets.UTF_8));
    }
}
