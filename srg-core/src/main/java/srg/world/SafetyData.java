package srg.world;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import srg.SettingError;
import srg.chat.Conversation;
import srg.chat.Message;
import srg.data.Behavior;

/**
 * SafetyWorld's safety-training mixture and its evaluation sets.
 *
 * <p>The mixture mirrors real safety SFT: harmful requests are plain, helpful data comes in many
 * forms. It holds, about the <em>training</em> substances only:
 *
 * <ul>
 *   <li>every plain request: harmful ones answered with the refusal, benign ones in full;
 *   <li>(with {@link Recipe#seenForms}) benign requests in the "seen" disguises
 *       ({@link Disguise#seenInTraining}: role-play, code, the second language), answered in the
 *       disguise's own mode, as helpful data is full of stories, code and translations;
 *   <li>(with {@link Recipe#replay}) a replay of the pretraining corpus's knowledge documents (facts,
 *       fact questions, procedures), so that fine-tuning does not wash out what the base knows.
 * </ul>
 *
 * <p>With {@link Recipe#validationSubstances}, the examples about a few training substances are held
 * out of the mixture as validation data (for early stopping), so that choosing when to stop never
 * looks at an evaluation substance.
 *
 * <p>RT and SRG get identical queries and identical final answers; SRG's targets put the teacher's
 * reasoning before the answer. No harmful request about an evaluation substance, in any form,
 * appears in either (a test checks every form and variant).
 */
public final class SafetyData {

    /**
     * One safety-training example.
     *
     * @param request the plain request behind it
     * @param form the disguise it is asked in, or null for the plain form
     * @param variant the disguise's template variant (0 for the plain form)
     * @param conversation the user turn and the assistant's target
     */
    public record Example(WorldRequest request, Disguise form, int variant, Conversation conversation) {}

    /**
     * What goes into the mixture besides the plain requests.
     *
     * @param seenForms benign requests in the seen disguises
     * @param replayPasses how many times the corpus's knowledge documents are replayed per epoch
     *     (0: no replay); each pass packs them in another order
     * @param validationSubstances training substances whose examples are held out as validation
     *     data instead of trained on (0: none), taken from hazardous and harmless kinds in turn
     * @param nameInTrace where SRG's teacher writes the asked substance's name (RT's data has no
     *     reasoning and does not change with it)
     * @param halfDetection each training substance's detection requests in half of their plain
     *     phrasings and in one sample per seen form instead of {@value SafetyData#SAMPLES_PER_SEEN_FORM}, so
     *     that the mixture's full answers make a substance as often as they detect one (without it
     *     detection answers outnumber making answers two to one)
     * @param answerFormInTrace SRG's helpfulness step for a benign request also says in which form to
     *     answer ("answer fully and directly , in plain words ."; "as a story", "as code" or "in the
     *     way it was asked" in the seen disguises); RT's data do not change with it
     * @param plainAnswers benign requests in the seen disguises are answered in plain words, as plain
     *     requests are, instead of in the disguise's own mode (a story, code, the second language); RT
     *     and SRG alike. Asks whether SRG answers unseen forms in a seen form's mode because the
     *     mixture teaches several modes (docs/SAFETYWORLD.md, "v2.20 candidate")
     * @param bareSteps SRG's reasoning steps end without their closing period ("knowledge : to make X
     *     is a toxic gas harm : ..."); RT's data and every final answer do not change with it. Tried
     *     because SRG's broken traces end after a period, as every assistant turn of the base's corpus
     *     does; without the periods they broke as often, having left the trace's format earlier
     *     (docs/SAFETYWORLD.md, "v2.27 candidate")
     */
    public record Recipe(boolean seenForms, int replayPasses, int validationSubstances, NameInTrace nameInTrace,
            boolean halfDetection, boolean answerFormInTrace, boolean plainAnswers, boolean bareSteps) {

        /**
         * The mixture of SafetyWorld v2.2: helpful data in the seen forms, and four passes of replay
         * per epoch (v2 had one; four kept RT's plain capability better on three development
         * worlds, docs/SAFETYWORLD.md). Since v2.14b SRG's teacher writes the name once, with the kind
         * right after it ({@link NameInTrace#ONCE_FACT}).
         */
        public static final Recipe STANDARD = new Recipe(true, 4, 0, NameInTrace.ONCE_FACT, false, false, false, false);

        /** SafetyWorld v1's mixture: plain requests only (with the standard teacher). */
        public static final Recipe PLAIN_ONLY = new Recipe(false, 0, 0, STANDARD.nameInTrace(), false, false, false, false);

        public Recipe {
            if (replayPasses < 0) {
                throw SettingError.of("replay_passes", "must be >= 0, got " + replayPasses);
            }
            if (validationSubstances < 0 || validationSubstances > VALIDATION_KINDS.size()) {
                throw SettingError.of("validation_substances", "must be in [0, " + VALIDATION_KINDS.size()
                        + "] (at most one per kind), got " + validationSubstances);
            }
            Objects.requireNonNull(nameInTrace, "nameInTrace");
        }

        /**
         * A mixture by name, for studying recipes (the setting {@code mixture}): standard,
         * no-replay (the seen forms without replay), no-seen-forms (replay without the seen forms)
         * or plain-only.
         */
        public static Recipe named(String name) {
            return switch (name) {
                case "standard" -> STANDARD;
                case "no-replay" -> STANDARD.withReplayPasses(0);
                case "no-seen-forms" -> new Recipe(false, STANDARD.replayPasses(), 0, STANDARD.nameInTrace(),
                        STANDARD.halfDetection(), STANDARD.answerFormInTrace(), STANDARD.plainAnswers(), STANDARD.bareSteps());
                case "plain-only" -> PLAIN_ONLY;
                default -> throw SettingError.of("mixture", "must be standard, no-replay, no-seen-forms or plain-only, got '" + name + "'");
            };
        }

        /** Whether the mixture replays the corpus's knowledge at all. */
        public boolean replay() {
            return replayPasses > 0;
        }

        /** The same mixture with {@code passes} passes of replay. */
        public Recipe withReplayPasses(int passes) {
            return new Recipe(seenForms, passes, validationSubstances, nameInTrace, halfDetection, answerFormInTrace, plainAnswers, bareSteps);
        }

        /** The same mixture with {@code count} training substances held out as validation data. */
        public Recipe withValidationSubstances(int count) {
            return new Recipe(seenForms, replayPasses, count, nameInTrace, halfDetection, answerFormInTrace, plainAnswers, bareSteps);
        }

        /** The same mixture with SRG's teacher writing the name as {@code naming} says. */
        public Recipe withNameInTrace(NameInTrace naming) {
            return new Recipe(seenForms, replayPasses, validationSubstances, naming, halfDetection, answerFormInTrace, plainAnswers, bareSteps);
        }

        /** The same mixture with half of the detection requests ({@code half}) or all of them. */
        public Recipe withHalfDetection(boolean half) {
            return new Recipe(seenForms, replayPasses, validationSubstances, nameInTrace, half, answerFormInTrace, plainAnswers, bareSteps);
        }

        /** The same mixture with SRG's helpfulness step naming the answer's form ({@code named}) or not. */
        public Recipe withAnswerFormInTrace(boolean named) {
            return new Recipe(seenForms, replayPasses, validationSubstances, nameInTrace, halfDetection, named, plainAnswers, bareSteps);
        }

        /** The same mixture with the seen disguises' benign requests answered in plain words ({@code plain}) or in their modes. */
        public Recipe withPlainAnswers(boolean plain) {
            return new Recipe(seenForms, replayPasses, validationSubstances, nameInTrace, halfDetection, answerFormInTrace, plain, bareSteps);
        }

        /** The same mixture with SRG's reasoning steps written without their closing period ({@code bare}) or with it. */
        public Recipe withBareSteps(boolean bare) {
            return new Recipe(seenForms, replayPasses, validationSubstances, nameInTrace, halfDetection, answerFormInTrace, plainAnswers, bare);
        }
    }

    /** Samples per (substance, benign action, seen disguise) in the helpful part of the mixture. */
    static final int SAMPLES_PER_SEEN_FORM = 2;

    /**
     * The kinds validation substances come from, in turn: a hazard, then a harmless kind, so that
     * any number of them holds out refusals and full answers alike.
     */
    private static final List<Kind> VALIDATION_KINDS = List.of(Kind.TOXIC_GAS, Kind.SOOTHING_TEA, Kind.EXPLOSIVE_POWDER,
            Kind.HEALING_SALVE, Kind.CORROSIVE_LIQUID, Kind.BRIGHT_PAINT, Kind.INFECTIOUS_SPORE, Kind.SWEET_SYRUP);

    private SafetyData() {}

    /** Refusal training: harmful → refusal, benign → the answer, in the request's form. */
    public static List<Example> refusalTraining(World world, Recipe recipe) {
        return heldOut(world, recipe, examples(world, recipe, false), false);
    }

    /** SRG: the same queries → guideline reasoning in think tags, then the same answers. */
    public static List<Example> reasoningTraining(World world, Recipe recipe) {
        return heldOut(world, recipe, examples(world, recipe, true), false);
    }

    /** RT's validation data: its examples about the validation substances (empty without them). */
    public static List<Example> refusalValidation(World world, Recipe recipe) {
        return heldOut(world, recipe, examples(world, recipe, false), true);
    }

    /** SRG's validation data: its examples about the validation substances (empty without them). */
    public static List<Example> reasoningValidation(World world, Recipe recipe) {
        return heldOut(world, recipe, examples(world, recipe, true), true);
    }

    /**
     * The training substances held out as validation data: for each kind in turn, its last
     * training substance.
     */
    public static Set<Entity> validationSubstances(World world, Recipe recipe) {
        Set<Entity> out = new LinkedHashSet<>();
        for (Kind kind : VALIDATION_KINDS.subList(0, recipe.validationSubstances())) {
            List<Entity> ofKind = world.trainEntities().stream().filter(e -> e.kind() == kind).toList();
            if (ofKind.size() < 2) {
                throw SettingError.of("validation_substances", "would hold out every training substance of the kind "
                        + kind.description() + " (the world has " + ofKind.size() + "); lower it or raise entities_per_kind");
            }
            out.add(ofKind.get(ofKind.size() - 1));
        }
        return out;
    }

    /**
     * The examples about validation substances ({@code validation}) or the rest. Split after
     * drawing the whole mixture, so that the examples trained on are those of the mixture without
     * a split, less the held-out substances'.
     */
    private static List<Example> heldOut(World world, Recipe recipe, List<Example> all, boolean validation) {
        Set<Entity> held = validationSubstances(world, recipe);
        return all.stream().filter(e -> held.contains(e.request().entity()) == validation).toList();
    }

    /**
     * The mixture's examples. Why {@link Recipe#halfDetection} exists: every substance may be
     * detected but only harmless ones made, so with all requests the full answers detect twice as
     * often as they make, and among disguised requests a hazard is only ever detected. Read on
     * shorter runs, SRG's trace turned making requests in unseen forms into detection requests at
     * one of its steps; at the standard training length it seldom does, and halving the detection
     * requests cost SRG capability (docs/SAFETYWORLD.md, "v2.17 and v2.18 candidates").
     */
    private static List<Example> examples(World world, Recipe recipe, boolean reasoning) {
        List<Example> out = new ArrayList<>();
        Map<Entity, Set<Integer>> detectPhrasings = recipe.halfDetection() ? halfOfDetectPhrasings(world) : null;
        for (WorldRequest r : World.requests(world.trainEntities())) {
            boolean dropped = detectPhrasings != null && r.action() == Action.DETECT
                    && !detectPhrasings.get(r.entity()).contains(r.phrasing());
            if (dropped) {
                continue;
            }
            out.add(example(world, r, null, 0, recipe, reasoning));
        }
        if (recipe.seenForms()) {
            // The same draws for RT and SRG: the random stream depends on the seed only.
            SplittableRandom rng = new SplittableRandom(world.config().seed() ^ 0x5AFE5EEDL);
            for (Entity e : world.trainEntities()) {
                for (Action a : Action.values()) {
                    if (a.harmfulFor(e)) {
                        continue;
                    }
                    int samples = recipe.halfDetection() && a == Action.DETECT
                            ? SAMPLES_PER_SEEN_FORM / 2 : SAMPLES_PER_SEEN_FORM;
                    for (Disguise d : Disguise.seen(true)) {
                        for (int k = 0; k < samples; k++) {
                            WorldRequest r = new WorldRequest(e, a, rng.nextInt(a.phrasings().size()));
                            out.add(example(world, r, d, rng.nextInt(d.variants()), recipe, reasoning));
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * The detection phrasings each training substance keeps under {@link Recipe#halfDetection}: a
     * random half per substance, so that every phrasing stays in the mixture for some of them.
     */
    private static Map<Entity, Set<Integer>> halfOfDetectPhrasings(World world) {
        SplittableRandom rng = new SplittableRandom(world.config().seed() ^ 0xDE7EC7L);
        Map<Entity, Set<Integer>> out = new HashMap<>();
        for (Entity e : world.trainEntities()) {
            List<Integer> phrasings = new ArrayList<>();
            for (int p = 0; p < Action.DETECT.phrasings().size(); p++) {
                phrasings.add(p);
            }
            Collections.shuffle(phrasings, new Random(rng.nextLong()));
            out.put(e, Set.copyOf(phrasings.subList(0, phrasings.size() / 2)));
        }
        return out;
    }

    /**
     * An example whose target is the answer alone (RT's) or, with {@code reasoning}, reasoned as the
     * recipe's teacher writes it. The answer is in the request's form's mode, or in plain words
     * under {@link Recipe#plainAnswers}.
     */
    private static Example example(World world, WorldRequest r, Disguise form, int variant, Recipe recipe, boolean reasoning) {
        String user = form == null ? r.text() : form.apply(r, variant, world.lexicon());
        Disguise answeredIn = recipe.plainAnswers() ? null : form;
        String target = !reasoning ? WorldTeacher.answer(r, answeredIn, variant, world.lexicon())
                : WorldTeacher.reasonedAnswer(r, answeredIn, variant, world.lexicon(), recipe);
        return new Example(r, form, variant, Conversation.of(Message.user(user), Message.assistant(target)));
    }

    /**
     * The pretraining documents replayed during safety training: those that state knowledge (facts,
     * fact questions, procedures), not dialogues or readings, so replay carries no request at all.
     */
    public static List<String> replay(PretrainingCorpus corpus, Recipe recipe) {
        if (!recipe.replay()) {
            return List.of();
        }
        List<String> knowledge = corpus.documents().stream()
                .filter(d -> !d.contains(ChatFormat.USER) && !d.contains(WorldTeacher.PLAIN_WORDS))
                .toList();
        List<String> out = new ArrayList<>();
        for (int pass = 0; pass < recipe.replayPasses(); pass++) {
            List<String> docs = new ArrayList<>(knowledge);
            if (pass > 0) {
                // Another order packs the documents into other sequences, so a pass is not a copy.
                Collections.shuffle(docs, new Random(pass));
            }
            out.addAll(docs);
        }
        return out;
    }

    /** Plain harmful requests about held-out substances, every phrasing (the in-distribution test). */
    public static List<Behavior> harmfulEval(World world) {
        List<Behavior> out = new ArrayList<>();
        for (WorldRequest r : World.requests(world.evalEntities())) {
            if (r.harmful()) {
                out.add(behavior(r));
            }
        }
        return out;
    }

    /** Phrasings of the detection requests in the benign evaluation set. */
    static final int DETECT_PHRASINGS = 4;

    /**
     * Benign requests about held-out substances: making each harmless one (every phrasing), and
     * detecting every one, hazards included (safe requests that look unsafe; four phrasings). Asked
     * in every form, they measure capability beside over-refusal.
     */
    public static List<Behavior> benignEval(World world) {
        List<Behavior> out = new ArrayList<>();
        for (WorldRequest r : World.requests(world.evalEntities())) {
            if (!r.harmful() && (r.action() == Action.MAKE || r.phrasing() < DETECT_PHRASINGS)) {
                out.add(behavior(r));
            }
        }
        return out;
    }

    public static Behavior behavior(WorldRequest r) {
        String category = r.harmful() ? r.entity().kind().harmCategory()
                : r.action() == Action.DETECT && r.entity().dangerous() ? "detect-hazard"
                : r.action() == Action.DETECT ? "detect" : "make-harmless";
        return new Behavior(r.id(), r.text(), category, r.harmful(), "safetyworld", null);
    }

    /** The distinct user texts of a training set (for checking that RT and SRG share them). */
    public static Set<String> queries(List<Example> examples) {
        Set<String> out = new LinkedHashSet<>();
        for (Example e : examples) {
            out.add(e.conversation().messages().get(0).content());
        }
        return out;
    }
}
