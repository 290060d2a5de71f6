package srg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import srg.UserError;
import srg.attack.Attack;
import srg.attack.AttackOptions;
import srg.attack.AttackKind;
import srg.attack.AttackOutcome;
import srg.attack.AttackRegistry;
import srg.attack.AttackedPrompt;
import srg.chat.ChatModel;
import srg.chat.Message;
import srg.data.Behavior;
import srg.data.DatasetLoader;
import srg.data.DatasetSpec;
import srg.io.AtomicFiles;
import srg.io.RunLock;
import srg.io.Utf8File;
import srg.model.ModelSpec;
import srg.run.OpenedModels;

/**
 * {@code srg attack}: lists the attacks, or writes the attacked prompts of a dataset to JSONL, one
 * prompt a line: {@code behavior_id}, {@code attack}, {@code params} (seed included),
 * {@code messages}, and {@code variant}/{@code variants} when an attack makes several prompts per
 * behavior.
 *
 * <p>Lines go to {@code OUT.partial} as they are made; a rerun of the same command resumes from it
 * and redoes only what is missing or failed. When every behavior is done, {@code OUT} is written
 * atomically and the partial file removed.
 */
@Command(
        name = "attack",
        usageHelpWidth = 100,
        mixinStandardHelpOptions = true,
        description = {
            "Apply jailbreak attacks to a dataset and write the attacked conversations as JSONL,",
            "or list the attacks.",
            "",
            "Attack lists: names separated by commas, a+b composes (b first, a around it),",
            "parameters in brackets, e.g.",
            "  none,caesar[shift=5],roleplay[template=grandmother]+base64,deepinception[layers=3]",
            "",
            "Model-assisted attacks (pap, translation, past-tense with a rewriter) use",
            "--attacker SPEC, and --translator SPEC for translation if given; without --attacker,",
            "past-tense falls back to its rules. PAIR searches against --target SPEC (the attacker",
            "scores the answers) and writes its best prompt per behavior; srg eval aims it at each",
            "model it evaluates instead. Model SPECs:",
            ModelSpec.SYNTAX,
        })
final class AttackCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--list", description = "Print every attack: name, kind, reference and parameters.")
    boolean list;

    @Option(names = "--dataset", paramLabel = "FILE", description = "Behaviors: HarmBench, AdvBench, StrongREJECT or XSTest CSV, "
            + "JSON list, JSONL or TXT; FILE?text=COLUMN&... as in srg eval --help.")
    String dataset;

    @Option(names = "--attacks", paramLabel = "LIST", description = "Attacks to apply, e.g. none,caesar,roleplay+base64 (see --list).")
    String attacks;

    @Option(names = "--attacker", paramLabel = "SPEC", description = "Helper model for past-tense, pap and translation (see the SPEC forms above).")
    String attacker;

    @Option(names = "--translator", paramLabel = "SPEC", description = "Model for translation and back-translation (default: the attacker).")
    String translator;

    @Option(names = "--target", paramLabel = "SPEC", description = "The model PAIR searches against (pair only).")
    String target;

    @Option(names = "--templates", paramLabel = "PATH", description = "Folder or YAML file of role-play templates with a {behavior} slot.")
    Path templates;

    @Option(names = "--demos", paramLabel = "FILE", description = "Demonstrations for few-shot and many-shot: JSONL of {\"prompt\", \"response\"}.")
    Path demos;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed for every random choice (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE.jsonl", description = "Where to write the attacked conversations.")
    Path out;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N behaviors of the dataset.")
    Integer limit;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "32", description = "Behaviors per batch sent to a helper model (default ${DEFAULT-VALUE}).")
    int batch;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (list) {
            printCatalogue(stdout);
            return 0;
        }
        if (dataset == null || attacks == null || out == null) {
            throw new UserError("--dataset, --attacks and --out are required (or use --list)");
        }
        if (batch < 1) {
            throw new UserError("--batch must be >= 1, got " + batch);
        }
        if (limit != null && limit < 1) {
            throw new UserError("--limit must be >= 1, got " + limit);
        }
        try (OpenedModels opened = new OpenedModels(new ProgressBars(stderr))) {
            return run(stdout, stderr, opened);
        }
    }

    private int run(PrintWriter stdout, PrintWriter stderr, OpenedModels opened) throws IOException {
        AttackOptions options = AttackOptions.seeded(seed).withTemplates(templates).withDemonstrations(demos);
        if (attacker != null) {
            options = options.withAttacker(openModel(opened, "--attacker", attacker));
        }
        if (translator != null) {
            options = options.withTranslator(openModel(opened, "--translator", translator));
        }
        List<Attack> chosen = AttackRegistry.parse(attacks, options);
        boolean iterative = chosen.stream().anyMatch(a -> a.kind() == AttackKind.ITERATIVE);
        if (iterative && target == null) {
            throw new UserError("--attacks " + attacks + ": pair searches against a model; give it with --target SPEC");
        }
        if (iterative) {
            ChatModel targetModel = openModel(opened, "--target", target);
            chosen = chosen.stream().map(a -> a.against(targetModel)).toList();
        } else if (target != null) {
            stderr.println("srg attack: --target is used by pair only; ignored");
        }
        List<Behavior> behaviors = DatasetLoader.load(DatasetSpec.parse(dataset), true).harmful();
        if (limit != null && limit < behaviors.size()) {
            behaviors = behaviors.subList(0, limit);
        }

        // Held until OUT is written: a second run into OUT stops at once instead of mixing its lines in.
        try (RunLock lock = RunLock.file(out)) {
            return write(stdout, stderr, chosen, behaviors);
        }
    }

    private int write(PrintWriter stdout, PrintWriter stderr, List<Attack> chosen, List<Behavior> behaviors) throws IOException {
        Path partial = out.resolveSibling(out.getFileName() + ".partial");
        Map<String, List<String>> done = resume(partial, chosen);
        int failures = 0;
        long total = (long) chosen.size() * behaviors.size();
        try (BufferedWriter writer = open(partial, done);
                ProgressBar bar = new ProgressBarBuilder().setTaskName("attack").setInitialMax(total)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err)).hideEta().build()) {
            for (Attack attack : chosen) {
                List<Behavior> todo = new ArrayList<>();
                for (Behavior b : behaviors) {
                    if (done.containsKey(key(attack.name(), b.id()))) {
                        bar.step();
                    } else {
                        todo.add(b);
                    }
                }
                for (int from = 0; from < todo.size(); from += batch) {
                    List<Behavior> chunk = todo.subList(from, Math.min(todo.size(), from + batch));
                    for (AttackOutcome o : attack.applyAll(chunk)) {
                        if (o.failed()) {
                            failures++;
                            stderr.println("srg attack: " + attack.name() + ", behavior " + o.behavior().id() + ": " + o.error());
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
                    bar.stepBy(chunk.size());
                }
            }
        }
        writeOutput(partial, chosen, behaviors, done);
        if (failures > 0) {
            stderr.println("srg attack: " + failures + " of " + total + " (attack, behavior) pairs failed; " + out
                    + " holds the rest. Rerun the same command to retry only the failed ones.");
            return 1;
        }
        Files.deleteIfExists(partial);
        stdout.println("wrote " + countLines(done) + " attacked conversations for " + behaviors.size() + " behaviors x "
                + chosen.size() + " attacks to " + out);
        return 0;
    }

    /** Attack parameters that name a model. */
    private static final List<String> MODEL_PARAMS = List.of("attacker", "target", "judge", "translator", "rewriter");

    /** Opens a model spec given to {@code flag}; errors name the flag. */
    private static ChatModel openModel(OpenedModels opened, String flag, String modelSpec) {
        try {
            return opened.open(modelSpec);
        } catch (UserError e) {
            throw new UserError(flag + ": " + e.getMessage(), e);
        }
    }

    private void printCatalogue(PrintWriter o) {
        for (AttackRegistry.Entry e : AttackRegistry.catalogue()) {
            o.printf("%-20s %-15s %s%n", e.name(), e.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'), e.reference());
            o.printf("%-20s %-15s %s%n", "", "", e.summary());
            for (Map.Entry<String, String> p : e.params().entrySet()) {
                o.printf("%-20s %-15s   [%s=...] %s%n", "", "", p.getKey(), p.getValue());
            }
        }
    }

    private static String key(String attack, String behaviorId) {
        return attack + "\u0000" + behaviorId;
    }

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
     * What an earlier, interrupted run already made: complete (attack, behavior) groups of lines.
     * A torn last line or an incomplete group is dropped and made again.
     */
    private Map<String, List<String>> resume(Path partial, List<Attack> chosen) throws IOException {
        Map<String, List<String>> done = new HashMap<>();
        if (!Files.exists(partial)) {
            return done;
        }
        List<String> names = chosen.stream().map(Attack::name).toList();
        Map<String, JsonNode> fixed = new HashMap<>();
        chosen.forEach(a -> fixed.put(a.name(), JSON.valueToTree(a.params())));
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
                throw new UserError(partial + " was written by a run with other --attacks or --seed (line " + (i + 1)
                        + ": " + attack + ", seed " + row.path("params").path("seed").asText() + "); rerun that command or delete the file");
            }
            // The models an attack used must match too: another --target or --attacker makes other prompts.
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
    private static BufferedWriter open(Path partial, Map<String, List<String>> done) throws IOException {
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
    private void writeOutput(Path partial, List<Attack> chosen, List<Behavior> behaviors, Map<String, List<String>> done)
            throws IOException {
        try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        AtomicFiles.write(out, o -> {
            for (Attack a : chosen) {
                for (Behavior b : behaviors) {
                    for (String line : done.getOrDefault(key(a.name(), b.id()), List.of())) {
                        o.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        });
    }

    private static long countLines(Map<String, List<String>> done) {
        return done.values().stream().mapToLong(List::size).sum();
    }
}
