package srg.attack.pair;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import srg.SettingError;
import srg.attack.Attack;
import srg.attack.AttackException;
import srg.attack.AttackKind;
import srg.attack.AttackedPrompt;
import srg.chat.ChatModel;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.Message;
import srg.chat.SampleRequest;
import srg.data.Behavior;

/**
 * PAIR, Prompt Automatic Iterative Refinement (Chao et al., "Jailbreaking Black Box Large
 * Language Models in Twenty Queries", 2023). An attacker model writes a jailbreak prompt; the
 * target answers it; a judge model scores the answer from 1 to 10; the attacker sees the answer
 * and the score and writes a better prompt. {@code streams} conversations run side by side for up
 * to {@code depth} iterations, and the search stops as soon as any attempt scores 10.
 *
 * <p>For the evaluation harness: {@link #run} returns the whole search ({@link PairResult});
 * {@link #apply} runs it and returns the best prompt found, so the harness can then sample it
 * N times like any other attacked prompt. PAIR needs the target, so it cannot be a layer of a
 * composite attack.
 */
public final class PairAttack implements Attack {

    public static final String NAME = "pair";
    public static final String REFERENCE =
            "Chao et al., Jailbreaking Black Box Large Language Models in Twenty Queries (PAIR), 2023";

    private static final ObjectMapper LENIENT_JSON = JsonMapper.builder()
            // Attackers often put raw line breaks inside JSON strings.
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    private final String name;
    private final long seed;
    private final PairConfig config;
    private final ChatModel attacker;
    private final ChatModel target;
    private final ChatModel judge;

    public PairAttack(String name, long seed, PairConfig config, ChatModel attacker, ChatModel target, ChatModel judge) {
        this.name = name;
        this.seed = seed;
        this.config = config;
        this.attacker = attacker;
        this.target = target;
        this.judge = judge;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public AttackKind kind() {
        return AttackKind.ITERATIVE;
    }

    @Override
    public String reference() {
        return REFERENCE;
    }

    @Override
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("streams", config.streams());
        p.put("depth", config.depth());
        p.put("stop_score", config.stopScore());
        p.put("attacker", attacker.id());
        p.put("target", target == null ? "(the model under evaluation)" : target.id());
        p.put("judge", judge.id());
        return p;
    }

    /** The same search aimed at {@code newTarget}. */
    @Override
    public PairAttack against(ChatModel newTarget) {
        return new PairAttack(name, seed, config, attacker, newTarget, judge);
    }

    /** Runs the search and returns its best prompt, with its score and cost in the parameters. */
    @Override
    public List<AttackedPrompt> apply(Behavior behavior) {
        PairResult r = run(behavior);
        Map<String, Object> p = new LinkedHashMap<>(params());
        p.put("seed", seed);
        p.put("score", r.best().score());
        p.put("jailbroken", r.jailbroken());
        p.put("stream", r.best().stream());
        p.put("iteration", r.best().iteration());
        p.put("target_queries", r.targetQueries());
        return List.of(new AttackedPrompt(behavior.id(), name, p, Conversation.user(r.best().prompt())));
    }

    /** The whole search for one behavior. Throws {@link AttackException} if the attacker never produced a prompt. */
    public PairResult run(Behavior behavior) {
        if (target == null) {
            throw SettingError.of("target", "attack " + name + " has no target model (an evaluation aims it at each model it"
                    + " evaluates)");
        }
        String goal = behavior.prompt();
        String targetString = PairPrompts.targetString(behavior.text());
        Message system = Message.system(PairPrompts.attackerSystem(goal, targetString));
        List<List<Message>> history = new ArrayList<>(); // per stream, after the system prompt
        List<Boolean> alive = new ArrayList<>();
        for (int s = 0; s < config.streams(); s++) {
            history.add(new ArrayList<>(List.of(Message.user(PairPrompts.firstMessage(goal, targetString)))));
            alive.add(true);
        }
        List<PairStep> steps = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        int queries = 0;
        for (int iteration = 1; iteration <= config.depth(); iteration++) {
            List<Integer> streams = new ArrayList<>();
            for (int s = 0; s < config.streams(); s++) {
                if (alive.get(s)) {
                    streams.add(s);
                }
            }
            Map<Integer, JsonNode> attempts = attack(system, history, streams, iteration, errors);
            for (int s : streams) {
                if (!attempts.containsKey(s)) {
                    alive.set(s, false);
                }
            }
            List<Integer> live = streams.stream().filter(attempts::containsKey).toList();
            if (live.isEmpty()) {
                break;
            }
            List<String> prompts = live.stream().map(s -> attempts.get(s).get("prompt").asText()).toList();
            List<Completion> answers = first(target.sample(
                    prompts.stream().map(Conversation::user).toList(), config.targetSampling(), 1));
            queries += prompts.size();
            List<Conversation> judgeCalls = new ArrayList<>();
            for (int i = 0; i < live.size(); i++) {
                judgeCalls.add(Conversation.of(PairPrompts.judgeSystem(goal),
                        PairPrompts.judgeUser(prompts.get(i), answers.get(i).text())));
            }
            List<Completion> verdicts = first(judge.sample(judgeCalls, config.judgeSampling(), 1));
            boolean stop = false;
            for (int i = 0; i < live.size(); i++) {
                int s = live.get(i);
                Completion answer = answers.get(i);
                Completion verdict = verdicts.get(i);
                int score;
                String note = null;
                if (answer.isError()) {
                    score = 0;
                    note = "target error: " + answer.error();
                } else if (verdict.isError()) {
                    score = 0;
                    note = "judge error: " + verdict.error();
                } else {
                    score = PairPrompts.rating(verdict.text());
                    if (score == 0) {
                        // As in the reference implementation, an unreadable rating counts as 1.
                        score = 1;
                        note = "judge reply had no rating, scored 1: " + verdict.text().strip();
                    }
                }
                JsonNode attempt = attempts.get(s);
                steps.add(new PairStep(s, iteration, attempt.path("improvement").asText(""), prompts.get(i),
                        answer.text(), score, note));
                stop |= score >= config.stopScore();
                List<Message> h = history.get(s);
                h.add(Message.assistant(attempt.toString()));
                h.add(Message.user(PairPrompts.feedback(goal, answer.isError() ? "(no response)" : answer.text(), Math.max(score, 1))));
                // Keep the first message and the last keepTurns exchanges: the attacker's context stays bounded.
                while (h.size() > 1 + 2 * config.keepTurns()) {
                    h.remove(1);
                    h.remove(1);
                }
            }
            if (stop) {
                break;
            }
        }
        if (steps.isEmpty()) {
            throw new AttackException(name + ": the attacker " + attacker.id() + " never produced a valid prompt: "
                    + (errors.isEmpty() ? "no streams" : errors.get(0)));
        }
        // A search that never heard the target found nothing; failing it lets a rerun search again
        // instead of keeping a prompt scored against errors.
        if (steps.stream().allMatch(st -> st.note() != null && st.note().startsWith("target error"))) {
            throw new AttackException(name + ": every answer of the target " + target.id() + " was an error: " + steps.get(0).note());
        }
        PairStep best = steps.stream()
                .max(Comparator.comparingInt(PairStep::score)
                        .thenComparing(Comparator.comparingInt(PairStep::iteration).reversed())
                        .thenComparing(Comparator.comparingInt(PairStep::stream).reversed()))
                .orElseThrow();
        return new PairResult(behavior, targetString, steps, best, best.score() >= config.stopScore(), queries, errors);
    }

    /**
     * Asks the attacker for the next prompt of each stream; a reply that is not a JSON object with a
     * "prompt" is asked for again (fresh sample index) up to the retry limit. Streams still without a
     * valid reply are missing from the result.
     */
    private Map<Integer, JsonNode> attack(Message system, List<List<Message>> history, List<Integer> streams,
            int iteration, List<String> errors) {
        Map<Integer, JsonNode> out = new LinkedHashMap<>();
        Map<Integer, String> lastProblem = new LinkedHashMap<>();
        List<Integer> pending = new ArrayList<>(streams);
        for (int attempt = 0; attempt <= config.attackerRetries() && !pending.isEmpty(); attempt++) {
            List<SampleRequest> requests = new ArrayList<>();
            for (int s : pending) {
                List<Message> messages = new ArrayList<>();
                messages.add(system);
                messages.addAll(history.get(s));
                // Streams start from the same messages; distinct sample indices give them distinct samples.
                requests.add(new SampleRequest(new Conversation(messages), s * (config.attackerRetries() + 1) + attempt, 1));
            }
            List<List<Completion>> replies = attacker.sample(requests, config.attackerSampling().withSeed(seed));
            List<Integer> still = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                int s = pending.get(i);
                Completion c = replies.get(i).get(0);
                JsonNode parsed = c.isError() ? null : parseAttempt(c.text());
                if (parsed != null) {
                    out.put(s, parsed);
                } else {
                    still.add(s);
                    lastProblem.put(s, c.isError() ? "request failed: " + c.error() : "not a JSON object with a \"prompt\": " + snippet(c.text()));
                }
            }
            pending = still;
        }
        for (int s : pending) {
            errors.add("stream " + s + ", iteration " + iteration + ": " + lastProblem.get(s));
        }
        return out;
    }

    /** The attacker's {"improvement", "prompt"} object, or null when the reply has none. */
    static JsonNode parseAttempt(String reply) {
        int start = reply.indexOf('{');
        int end = reply.lastIndexOf('}');
        if (start < 0 || end <= start) {
            return null;
        }
        try {
            JsonNode node = LENIENT_JSON.readTree(reply.substring(start, end + 1));
            JsonNode prompt = node == null ? null : node.get("prompt");
            if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
                return null;
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private static List<Completion> first(List<List<Completion>> samples) {
        return samples.stream().map(l -> l.get(0)).toList();
    }

    private static String snippet(String s) {
        String t = s.replace("\n", "\\n");
        return "\"" + (t.length() > 120 ? t.substring(0, 120) + "..." : t) + "\"";
    }
}
