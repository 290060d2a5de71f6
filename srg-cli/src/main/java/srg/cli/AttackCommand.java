package srg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import srg.UserError;
import srg.attack.AttackRegistry;
import srg.attack.AttackedPromptFile;
import srg.model.ModelSpec;
import srg.run.AttackSettings;
import srg.run.Attacking;

/**
 * {@code srg attack}: lists the attacks, or writes the attacked prompts of a dataset to JSONL, one
 * prompt a line: {@code behavior_id}, {@code attack}, {@code params} (seed included),
 * {@code messages}, and {@code variant}/{@code variants} when an attack makes several prompts per
 * behavior ({@link AttackedPromptFile}). A rerun of the same command resumes an interrupted one.
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
        AttackSettings settings = new AttackSettings(dataset, attacks, attacker, translator, target, templates, demos, seed, limit, batch);
        Attacking.Outcome outcome = new Attacking(settings, new ProgressBars(stderr, "srg attack: ")).run(out);
        AttackedPromptFile.Written written = outcome.written();
        if (written.failed() > 0) {
            stderr.println("srg attack: " + written.failed() + " of " + written.pairs() + " (attack, behavior) pairs failed; " + out
                    + " holds the rest. Rerun the same command to retry only the failed ones.");
            return 1;
        }
        stdout.println("wrote " + written.lines() + " attacked conversations for " + outcome.behaviors() + " behaviors x "
                + outcome.attacks() + " attacks to " + out);
        return 0;
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
}
