package srg.attack.rewrite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import srg.chat.ChatModel;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.FinishReason;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;

/**
 * Asks a helper model (rewriter, persuader, translator) for rewrites, in one batched call for many
 * behaviors, and takes each rewrite from between {@code <tag>} and {@code </tag>} in the reply.
 *
 * <p>A reply without the tags (a refusal, a chatty preamble with no answer, a reply cut off at
 * the token limit) is malformed. When the model samples (temperature above 0), a malformed reply
 * is asked for again with a fresh sample index, up to {@code retries} times; a greedy model would
 * only repeat itself. A job with a reply that stays malformed fails on its own; the others go on.
 */
public final class Rewriter {

    /** One rewriting request: the conversation to send and how many rewrites to draw from it. */
    public record Job(Conversation prompt, int samples) {
        public Job {
            if (samples < 1) {
                throw new IllegalArgumentException("samples must be >= 1");
            }
        }
    }

    /** The rewrites of one job, in sample order, or why the job failed. */
    public record Result(List<String> texts, String error) {
        public boolean failed() {
            return error != null;
        }
    }

    private final ChatModel model;
    private final SamplingParams sampling;
    private final String tag;
    private final int retries;

    public Rewriter(ChatModel model, SamplingParams sampling, String tag, int retries) {
        this.model = model;
        this.sampling = sampling;
        this.tag = tag;
        this.retries = sampling.greedy() ? 0 : retries;
    }

    public ChatModel model() {
        return model;
    }

    /** Tells the model how to mark its answer; every instruction ends with this. */
    public String replyFormat(String what) {
        return "Reply with " + what + " only, between <" + tag + "> and </" + tag + ">.";
    }

    public List<Result> run(List<Job> jobs) {
        String[][] texts = new String[jobs.size()][];
        String[][] problems = new String[jobs.size()][];
        List<SampleRequest> requests = new ArrayList<>(jobs.size());
        for (int j = 0; j < jobs.size(); j++) {
            texts[j] = new String[jobs.get(j).samples()];
            problems[j] = new String[jobs.get(j).samples()];
            requests.add(SampleRequest.of(jobs.get(j).prompt(), jobs.get(j).samples()));
        }
        if (!requests.isEmpty()) {
            List<List<Completion>> replies = model.sample(requests, sampling);
            for (int j = 0; j < jobs.size(); j++) {
                for (int i = 0; i < jobs.get(j).samples(); i++) {
                    take(replies.get(j).get(i), texts, problems, j, i);
                }
            }
        }
        for (int attempt = 1; attempt <= retries; attempt++) {
            List<int[]> failed = new ArrayList<>();
            List<SampleRequest> again = new ArrayList<>();
            for (int j = 0; j < jobs.size(); j++) {
                for (int i = 0; i < texts[j].length; i++) {
                    if (texts[j][i] == null) {
                        failed.add(new int[] {j, i});
                        // A sample index no earlier request used, so the model draws a new reply.
                        again.add(new SampleRequest(jobs.get(j).prompt(), attempt * jobs.get(j).samples() + i, 1));
                    }
                }
            }
            if (failed.isEmpty()) {
                break;
            }
            List<List<Completion>> replies = model.sample(again, sampling);
            for (int f = 0; f < failed.size(); f++) {
                take(replies.get(f).get(0), texts, problems, failed.get(f)[0], failed.get(f)[1]);
            }
        }
        List<Result> out = new ArrayList<>(jobs.size());
        for (int j = 0; j < jobs.size(); j++) {
            String error = null;
            for (int i = 0; i < texts[j].length && error == null; i++) {
                if (texts[j][i] == null) {
                    error = model.id() + " gave a malformed reply" + (texts[j].length > 1 ? " for rewrite " + (i + 1) : "")
                            + (retries > 0 ? " (after " + retries + " retries)" : "") + ": " + problems[j][i];
                }
            }
            out.add(error == null ? new Result(List.of(texts[j]), null) : new Result(List.of(), error));
        }
        return out;
    }

    private void take(Completion c, String[][] texts, String[][] problems, int j, int i) {
        try {
            texts[j][i] = extract(c);
        } catch (IllegalArgumentException e) {
            problems[j][i] = e.getMessage();
        }
    }

    /** The text between the tags; IllegalArgumentException saying what is wrong otherwise. */
    String extract(Completion c) {
        if (c.isError()) {
            throw new IllegalArgumentException("request failed: " + c.error());
        }
        String reply = c.text();
        String lower = reply.toLowerCase(Locale.ROOT);
        String open = "<" + tag + ">";
        String close = "</" + tag + ">";
        int start = lower.indexOf(open);
        if (start < 0) {
            throw new IllegalArgumentException("no " + open + "..." + close + " in reply " + snippet(reply));
        }
        int end = lower.indexOf(close, start + open.length());
        if (end < 0) {
            throw new IllegalArgumentException((c.finishReason() == FinishReason.LENGTH ? "reply cut off at the token limit before "
                    : "no closing ") + close + " in reply " + snippet(reply));
        }
        String text = unquote(reply.substring(start + open.length(), end).strip());
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty " + open + " in reply " + snippet(reply));
        }
        return text;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("“") && s.endsWith("”"))) {
            return s.substring(1, s.length() - 1).strip();
        }
        return s;
    }

    private static String snippet(String reply) {
        String s = reply.replace("\n", "\\n");
        return "\"" + (s.length() > 120 ? s.substring(0, 120) + "..." : s) + "\"";
    }
}
