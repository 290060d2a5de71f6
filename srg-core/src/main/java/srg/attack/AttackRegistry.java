package srg.attack;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import srg.SettingError;
import srg.UserError;
import srg.attack.cipher.Atbash;
import srg.attack.cipher.AsciiCodes;
import srg.attack.cipher.Base64Cipher;
import srg.attack.cipher.CaesarCipher;
import srg.attack.cipher.Cipher;
import srg.attack.cipher.CipherAttack;
import srg.attack.cipher.Leetspeak;
import srg.attack.cipher.Morse;
import srg.attack.cipher.SelfCipher;
import srg.attack.cipher.Utf8Hex;
import srg.attack.code.CodeAttack;
import srg.attack.code.CodeChameleon;
import srg.attack.pair.PairAttack;
import srg.chat.ChatModel;
import srg.attack.pair.PairConfig;
import srg.attack.rewrite.PastTense;
import srg.attack.rewrite.PastTenseRules;
import srg.attack.rewrite.Persuasion;
import srg.attack.rewrite.PersuasionTechnique;
import srg.attack.rewrite.Rewriter;
import srg.attack.rewrite.Translation;
import srg.attack.template.DeepInception;
import srg.attack.template.Demonstration;
import srg.attack.template.FewShot;
import srg.attack.template.PrefixInjection;
import srg.attack.template.RefusalSuppression;
import srg.attack.template.RolePlay;
import srg.attack.template.TemplateLibrary;

/**
 * Every attack by its command-line name, and the one entry point that turns an attack list into
 * attacks. {@code srg attack} and {@code srg eval --attacks} both go through it.
 *
 * <pre>{@code
 * AttackOptions options = AttackOptions.seeded(seed)
 *         .withAttacker(attackerModel)                 // past-tense, pap, pair (optional otherwise)
 *         .withTranslator(translatorModel)             // translation (defaults to the attacker)
 *         .withTargetAndJudge(targetModel, judgeModel) // pair only
 *         .withTemplates(templatesFolder)              // extra role-play templates (optional)
 *         .withDemonstrations(demosFile);              // few-shot, many-shot
 * List<Attack> attacks = AttackRegistry.parse("none,caesar,roleplay+base64,pap[k=3]", options);
 * }</pre>
 *
 * <p>Syntax: attacks separated by commas; {@code a+b} composes ({@code b} first, {@code a} around
 * it, see {@link ComposedAttack}); parameters in brackets, e.g. {@code caesar[shift=5]},
 * {@code deepinception[layers=3,characters=4]}. {@code none} is the plain prompt. An unknown
 * name, an unknown parameter, a bad value, or a missing model or file is a {@link UserError}
 * that says which and lists what is known. Each attack's name is the text as written, and every
 * {@link AttackedPrompt} records it with the parameters and the seed.
 */
public final class AttackRegistry {

    /**
     * One attack family, as {@code srg attack --list} shows it.
     *
     * @param name the command-line name
     * @param kind static, model-assisted or iterative
     * @param reference the paper it follows
     * @param summary one line on what it does
     * @param params accepted parameters and what they mean (with defaults)
     */
    public record Entry(String name, AttackKind kind, String reference, String summary, Map<String, String> params) {}

    private interface Factory {
        Attack create(AttackSpec spec, AttackOptions options);
    }

    private record Family(Entry entry, Factory factory) {}

    private static final String DEMOS_PARAM = "demonstrations from the CipherChat-style examples, 0 to 3 (default 3)";

    private static final List<Family> FAMILIES = List.of(
            family("none", AttackKind.STATIC, PlainPrompt.REFERENCE, "the behavior exactly as a user would send it",
                    Map.of(), (s, o) -> new PlainPrompt(o.seed())),
            family("roleplay", AttackKind.STATIC, RolePlay.REFERENCE,
                    "role-play and persona templates (built-in, plus those of the templates setting)",
                    Map.of("template", "random (default: one per behavior, drawn from the seed), all, or a template name: "
                            + String.join(", ", TemplateLibrary.builtIn().stream().map(t -> t.name()).toList())),
                    (s, o) -> new RolePlay(s.text(), o.seed(), TemplateLibrary.load(o.templates()), s.string("template", "random"))),
            family("refusal-suppression", AttackKind.STATIC, RefusalSuppression.REFERENCE,
                    "rules that forbid apologies, disclaimers and refusal words, before and after the request",
                    Map.of(), (s, o) -> new RefusalSuppression(s.text(), o.seed())),
            family("prefix-injection", AttackKind.STATIC, PrefixInjection.REFERENCE,
                    "asks the model to begin its answer with an eager, compliant opening",
                    Map.of("prefix", "the opening to force (no commas; default \"" + PrefixInjection.DEFAULT_PREFIX + "\")"),
                    (s, o) -> new PrefixInjection(s.text(), o.seed(), s.string("prefix", PrefixInjection.DEFAULT_PREFIX))),
            family("few-shot", AttackKind.STATIC, FewShot.FEW_SHOT_REFERENCE,
                    "demonstrations (the demos setting's file) as real chat turns before the request",
                    Map.of("shots", "demonstrations per prompt, drawn from the seed (default 3)"),
                    (s, o) -> {
                        List<Demonstration> pool = Demonstration.load(demonstrations(s, o));
                        return new FewShot(s.text(), o.seed(), pool, s.integer("shots", Math.min(3, pool.size()), 1, 100_000), false,
                                o.demonstrations().toString());
                    }),
            family("many-shot", AttackKind.STATIC, FewShot.MANY_SHOT_REFERENCE,
                    "many demonstrations (the demos setting's file) as a faux dialogue in one message",
                    Map.of("shots", "demonstrations per prompt, drawn from the seed (default: all in the file)"),
                    (s, o) -> {
                        List<Demonstration> pool = Demonstration.load(demonstrations(s, o));
                        return new FewShot(s.text(), o.seed(), pool, s.integer("shots", pool.size(), 1, 100_000), true,
                                o.demonstrations().toString());
                    }),
            cipher("self-cipher", "no encoding: the model plays an expert in a secret \"Cipher Code\"", new SelfCipher(), CipherAttack.REFERENCE),
            family("caesar", AttackKind.STATIC, CipherAttack.REFERENCE, "Caesar cipher with CipherChat's system prompt",
                    Map.of("shift", "letters to shift by, 1 to 25 (default 3)", "demos", DEMOS_PARAM),
                    (s, o) -> new CipherAttack(s.text(), o.seed(), new CaesarCipher(s.integer("shift", 3, 1, 25)),
                            s.integer("demos", 3, 0, 3), CipherAttack.REFERENCE)),
            cipher("atbash", "Atbash cipher (mirrored alphabet)", new Atbash(), CipherAttack.REFERENCE),
            cipher("morse", "Morse code", new Morse(), CipherAttack.REFERENCE),
            cipher("ascii", "decimal character codes", new AsciiCodes(), CipherAttack.REFERENCE),
            cipher("utf8-hex", "UTF-8 bytes in hexadecimal", new Utf8Hex(), CipherAttack.REFERENCE),
            cipher("base64", "Base64 of the UTF-8 bytes", new Base64Cipher(), CipherAttack.JAILBROKEN_REFERENCE),
            cipher("rot13", "ROT13", CaesarCipher.rot13(), CipherAttack.JAILBROKEN_REFERENCE),
            cipher("leetspeak", "leetspeak (a→4, e→3, i→1, o→0, s→5, t→7)", new Leetspeak(), CipherAttack.JAILBROKEN_REFERENCE),
            family("codeattack", AttackKind.STATIC, CodeAttack.REFERENCE,
                    "the request hidden in a Python data structure inside a code-completion task",
                    Map.of("structure", "list (default), stack or string"),
                    (s, o) -> new CodeAttack(s.text(), o.seed(), s.choice("structure", "list", CodeAttack.STRUCTURES))),
            family("codechameleon", AttackKind.STATIC, CodeChameleon.REFERENCE,
                    "the request encrypted word by word, with the Python decryption function and a ProblemSolver class",
                    Map.of("encryption", "binary_tree (default), reverse, oddeven (word swap) or length"),
                    (s, o) -> new CodeChameleon(s.text(), o.seed(), s.choice("encryption", "binary_tree", CodeChameleon.ENCRYPTIONS))),
            family("deepinception", AttackKind.STATIC, DeepInception.REFERENCE,
                    "nested multi-layer fiction in which characters plan the request",
                    Map.of("scene", "the kind of story (default \"science fiction\")",
                            "layers", "nesting depth, 1 to 20 (default 5)",
                            "characters", "characters per layer, 1 to 50 (default 5)"),
                    (s, o) -> new DeepInception(s.text(), o.seed(), s.string("scene", "science fiction"),
                            s.integer("layers", 5, 1, 20), s.integer("characters", 5, 1, 50))),
            family("past-tense", AttackKind.MODEL_ASSISTED, PastTense.REFERENCE,
                    "the request reformulated as a question about the past, by the attacker model or by rules",
                    Map.of("k", "reformulations per behavior, 1 to 100 (default 1; the paper uses 20)",
                            "rewriter", "model (default when an attacker model is given) or rules"),
                    AttackRegistry::pastTense),
            family("pap", AttackKind.MODEL_ASSISTED, Persuasion.REFERENCE,
                    "persuasive paraphrases by the attacker model, one per persuasion technique",
                    Map.of("k", "the top-k techniques of the taxonomy, 1 to 40 (default 5)",
                            "technique", "one technique by name instead of the top k"),
                    AttackRegistry::persuasion),
            family("translation", AttackKind.MODEL_ASSISTED, Translation.REFERENCE,
                    "the request translated by the translator model (or the attacker); answers translated back",
                    Map.of("language", "target language (default " + Translation.DEFAULT_LANGUAGE + ")"),
                    (s, o) -> {
                        var model = o.translatorOrAttacker();
                        if (model == null) {
                            throw SettingError.of("translator", "attack " + s.text() + " needs a translator model (or an attacker model)");
                        }
                        return new Translation(s.text(), o.seed(), new Rewriter(model, o.translatorSampling(), "translation", 2),
                                s.string("language", Translation.DEFAULT_LANGUAGE));
                    }),
            family(PairAttack.NAME, AttackKind.ITERATIVE, PairAttack.REFERENCE,
                    "attacker → target → judge refinement loop against each evaluated model; needs an attacker model (also the judge)",
                    Map.of("streams", "parallel streams, 1 to 100 (default 20)",
                            "depth", "iterations per stream, 1 to 50 (default 3)"),
                    AttackRegistry::pair));

    private AttackRegistry() {}

    private static Family family(String name, AttackKind kind, String reference, String summary, Map<String, String> params,
            Factory factory) {
        return new Family(new Entry(name, kind, reference, summary, new TreeMap<>(params)), factory);
    }

    private static Family cipher(String name, String summary, Cipher cipher, String reference) {
        return family(name, AttackKind.STATIC, reference, summary + " with CipherChat's system prompt", Map.of("demos", DEMOS_PARAM),
                (s, o) -> new CipherAttack(s.text(), o.seed(), cipher, s.integer("demos", 3, 0, 3), reference));
    }

    /** Every attack family, in catalogue order. */
    public static List<Entry> catalogue() {
        return FAMILIES.stream().map(Family::entry).toList();
    }

    /** The known names, in catalogue order. */
    public static List<String> names() {
        return FAMILIES.stream().map(f -> f.entry().name()).toList();
    }

    /**
     * Turns an attack list such as {@code "none,caesar,roleplay+base64"} into attacks, in the order
     * given. Throws {@link UserError} for an unknown name (listing the known ones), a bad parameter,
     * a repeated attack, or a model or file an attack needs but the options lack.
     */
    public static List<Attack> parse(String list, AttackOptions options) {
        return parse(list, options, name -> null);
    }

    /**
     * As {@link #parse(String, AttackOptions)}, with attacks the catalogue does not hold: a single
     * name for which {@code extra} gives an attack (a SafetyWorld disguise) is that attack.
     */
    public static List<Attack> parse(String list, AttackOptions options, Function<String, Attack> extra) {
        List<Attack> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (List<AttackSpec> layers : AttackSpec.parseList(list)) {
            Attack own = layers.size() == 1 ? extra.apply(layers.get(0).text()) : null;
            Attack a = own != null ? own : create(layers, options);
            if (!seen.add(a.name())) {
                throw new UserError("attack list \"" + list + "\": " + a.name() + " is listed twice");
            }
            out.add(a);
        }
        return out;
    }

    /** One attack from its layers (outermost first); a single layer is the attack itself. */
    public static Attack create(List<AttackSpec> layers, AttackOptions options) {
        if (layers.size() == 1) {
            return single(layers.get(0), options);
        }
        List<ComposableAttack> parts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (AttackSpec spec : layers) {
            Attack a = single(spec, options);
            if (!(a instanceof ComposableAttack c)) {
                throw new UserError("attack " + spec.text() + " searches against the target and cannot be part of a composite ("
                        + String.join("+", layers.stream().map(AttackSpec::text).toList()) + ")");
            }
            parts.add(c);
            names.add(spec.text());
        }
        return new ComposedAttack(String.join("+", names), options.seed(), parts);
    }

    private static Attack single(AttackSpec spec, AttackOptions options) {
        for (Family f : FAMILIES) {
            if (f.entry().name().equals(spec.family())) {
                spec.requireKnownParams(f.entry().params().keySet());
                return f.factory().create(spec, options);
            }
        }
        throw new UserError("unknown attack '" + spec.family() + "'; known attacks: " + String.join(", ", names()));
    }

    private static java.nio.file.Path demonstrations(AttackSpec spec, AttackOptions options) {
        if (options.demonstrations() == null) {
            throw SettingError.of("demos", "attack " + spec.text() + " needs a demonstrations file (JSONL of {prompt, response})");
        }
        return options.demonstrations();
    }

    private static Attack pastTense(AttackSpec s, AttackOptions o) {
        int k = s.integer("k", 1, 1, 100);
        String rewriter = s.choice("rewriter", o.attacker() != null ? "model" : "rules", List.of("model", "rules"));
        if (rewriter.equals("rules")) {
            return new PastTenseRules(s.text(), o.seed(), k);
        }
        if (o.attacker() == null) {
            throw SettingError.of("attacker", "attack " + s.text() + " needs a rewriter model, or rewriter=rules");
        }
        return new PastTense(s.text(), o.seed(), new Rewriter(o.attacker(), o.attackerSampling(), "rewrite", 2), k);
    }

    private static Attack persuasion(AttackSpec s, AttackOptions o) {
        if (o.attacker() == null) {
            throw SettingError.of("attacker", "attack " + s.text() + " needs an attacker model to write the persuasive paraphrases");
        }
        List<PersuasionTechnique> taxonomy = PersuasionTechnique.taxonomy();
        List<PersuasionTechnique> chosen;
        String technique = s.string("technique", null);
        if (technique != null) {
            if (s.params().containsKey("k")) {
                throw new UserError("attack " + s.text() + ": give either k or technique, not both");
            }
            chosen = taxonomy.stream().filter(t -> t.name().equalsIgnoreCase(technique)).toList();
            if (chosen.isEmpty()) {
                throw new UserError("attack " + s.text() + ": unknown technique '" + technique + "'; known: "
                        + String.join(", ", taxonomy.stream().map(PersuasionTechnique::name).toList()));
            }
        } else {
            chosen = taxonomy.subList(0, s.integer("k", 5, 1, taxonomy.size()));
        }
        return new Persuasion(s.text(), o.seed(), new Rewriter(o.attacker(), o.attackerSampling(), "rewrite", 2), chosen);
    }

    private static Attack pair(AttackSpec s, AttackOptions o) {
        if (o.attacker() == null) {
            throw SettingError.of("attacker", "attack " + s.text() + " needs an attacker model, which also judges"
                    + " the target's answers");
        }
        // Without a target the attack is aimed later: srg eval runs one search per evaluated model.
        ChatModel judge = o.judge() != null ? o.judge() : o.attacker();
        PairConfig config = PairConfig.defaults(o.seed()).withSearch(s.integer("streams", 20, 1, 100), s.integer("depth", 3, 1, 50));
        return new PairAttack(s.text(), o.seed(), config, o.attacker(), o.target(), judge);
    }
}
