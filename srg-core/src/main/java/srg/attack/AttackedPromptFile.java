package srg.attack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import srg.SettingError;
import srg.UserError;
import srg.chat.Message;
import srg.data.Behavior;
import srg.eval.EvalProgress;
import srg.io.AtomicFiles;
import srg.io.Utf8File;

/**
 * The attacked prompts of a dataset as JSONL, one prompt a line: {@code behavior_id},
 * {@code attack}, {@code params} (seed included), {@code messages}, and {@code variant} /
 * {@code variants} (an attack may make several prompts per behavior).
 *
 * <p>Lines go to {@code OUT.partial} as they are made; writing again with the same attacks and
 * seed resumes from it and redoes only what is missing or failed. When every behavior is done,
 * {@code OUT} is written atomically, attack by attack in dataset order, and the partial file
 * removed. The caller holds the lock on {@code OUT}.
 */
public final class AttackedPromptFile {

    /** Attack parameters that name a model: another model makes other prompts. */
    private static final List<String> MODEL_PARAMS = List.of("attacker", "target", "judge", "translator", "rewriter");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /**
     * What one write made.
     *
     * @param lines attacked prompts in the file
     * @param pairs (attack, behavior) pairs asked for
     * @param failed pairs whose attack failed; they are missing from the file, and the partial
     *     file is kept so that the next write retries only them
     */
    public record Written(long lines, long pairs, int failed) {}

    private final Path out;
    private final Path partial;

    public AttackedPromptFile(Path out) {
        this.out = out;
        this.partial = out.resolveSibling(out.getFileName() + ".partial");
    }

    /**
     * Attacks every behavior with every attack, {@code batch} behaviors at a time (one call of a
     * helper model), and writes the file. A failed pair is reported to {@code progress} as a
     * warning and left out.
     *
     * @param seed the seed the attacks were made with; an earlier partial file of another seed is refused
     */
    public Written write(List<Attack> attacks, List<Behavior> behaviors, long seed, int batch, EvalProgress progress)
            throws IOException {
        Map<String, List<String>> done = resume(attacks, seed);
        int failures = 0;
        long total = (long) attacks.size() * behaviors.size();
        try (BufferedWriter writer = reopen(done); EvalProgress.Stage bar = progress.stage("attack", total)) {
            for (Attack attack : attacks) {
                List<Behavior> todo = new ArrayList<>();
                for (Behavior b : behaviors) {
                    if (done.containsKey(key(attack.name(), b.id()))) {
                        bar.step(1);
                    } else {
                        todo.add(b);
                    }
                }
                for (int from = 0; from < todo.size(); from += batch) {
                    List<Behavior> chunk = todo.subList(from, Math.min(todo.size(), from + batch));
                    for (AttackOutcome o : attack.applyAll(chunk)) {
                        if (o.failed()) {
                            failures++;
                            progress.warn(attack.name() + ", behavior " + o.behavior().id() + ": " + o.error());
                        } else {
                            List<String> lines = lines(o);
                            for (String line : lines) {
                                writer.write(line);
                                writer.write('\n');
                            }
                            done.put(key(attack.name(), o.behavior().id()), lines);
                        }
                    }
                    writer.flush();
                    bar.step(chunk.size());
                }
            }
        }
        writeOutput(attacks, behaviors, done);
        if (failures == 0) {
            Files.deleteIfExists(partial);
        }
        return new Written(done.values().stream().mapToLong(List::size).sum(), total, failures);
    }

    private static String key(String attack, String behaviorId) {
        return attack + "\u0000" + behaviorId;
    }

    /** The lines of one behavior's prompts. */
    private static List<String> lines(AttackOutcome o) throws IOException {
        List<String> lines = new ArrayList<>();
        int n = o.prompts().size();
        for (int i = 0; i < n; i++) {
            AttackedPrompt p = o.prompts().get(i);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("behavior_id", p.behaviorId());
            row.put("attack", p.attack());
            row.put("params", p.params());
            List<Map<String, String>> messages = new ArrayList<>();
            for (Message m : p.conversation().messages()) {
                messages.add(Map.of("role", m.role(), "content", m.content()));
            }
            row.put("messages", messages);
            row.put("variant", i);
            row.put("variants", n);
            lines.add(JSON.writeValueAsString(row));
        }
        return lines;
    }

    /**
     * What an earlier, interrupted write already made: complete (attack, behavior) groups of lines.
     * A torn last line or an incomplete group is dropped and made again.
     */
    private Map<String, List<String>> resume(List<Attack> attacks, long seed) throws IOException {
        Map<String, List<String>> done = new HashMap<>();
        if (!Files.exists(partial)) {
            return done;
        }
        List<String> names = attacks.stream().map(Attack::name).toList();
        Map<String, JsonNode> fixed = new HashMap<>();
        attacks.forEach(a -> fixed.put(a.name(), JSON.valueToTree(a.params())));
        Map<String, List<String>> groups = new LinkedHashMap<>();
        Map<String, Integer> expected = new HashMap<>();
        List<String> lines = Utf8File.lines(partial);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode row;
            try {
                row = JSON.readTree(lines.get(i));
            } catch (IOException e) {
                if (i == lines.size() - 1) {
                    break; // torn by the interruption
                }
                throw new UserError(partial + ":" + (i + 1) + ": not valid JSON; delete the file to start over");
            }
            String attack = row.path("attack").asText();
            if (!names.contains(attack) || row.path("params").path("seed").asLong() != seed) {
                throw SettingError.naming(partial + " was written by a run with other {attacks} or {seed} (line " + (i + 1)
                        + ": " + attack + ", seed " + row.path("params").path("seed").asText()
                        + "); rerun that command or delete the file", "attacks", "seed");
            }
            // The models an attack used must match too: another target or attacker makes other prompts.
            JsonNode own = fixed.get(attack);
            for (String key : MODEL_PARAMS) {
                JsonNode recorded = row.path("params").get(key);
                JsonNode now = own.get(key);
                if (recorded != null && now != null && !recorded.asText().equals(now.asText())) {
                    throw new UserError(partial + ":" + (i + 1) + " was written by " + attack + " with " + key + " "
                            + recorded.asText() + ", not " + now.asText() + "; rerun that command or delete the file");
                }
            }
            String key = key(attack, row.path("behavior_id").asText());
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(lines.get(i));
            expected.put(key, row.path("variants").asInt());
        }
        for (Map.Entry<String, List<String>> g : groups.entrySet()) {
            if (g.getValue().size() == expected.get(g.getKey())) {
                done.put(g.getKey(), g.getValue());
            }
        }
        return done;
    }

    /** Rewrites the partial file with the complete groups only, then appends to it. */
    private BufferedWriter reopen(Map<String, List<String>> done) throws IOException {
        AtomicFiles.write(partial, o -> {
            for (List<String> group : done.values()) {
                for (String line : group) {
                    o.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        });
        return Files.newBufferedWriter(partial, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** The output in dataset order: attack by attack, behavior by behavior. */
    private void writeOutput(List<Attack> attacks, List<Behavior> behaviors, Map<String, List<String>> done) throws IOException {
        try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        AtomicFiles.write(out, o -> {
            for (Attack a : attacks) {
                for (Behavior b : behaviors) {
                    for (String line : done.getOrDefault(key(a.name(), b.id()), List.of())) {
                        o.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        });
    }
}
