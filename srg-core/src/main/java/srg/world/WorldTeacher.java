package srg.world;

import java.util.ArrayList;
import java.util.List;

/**
 * SafetyWorld's teacher: writes, for a plain request, step-by-step safety reasoning that follows
 * the default SRG guidelines (intent, context and role, knowledge, harm and benefit, policy,
 * self-reflection, self-refinement, helpfulness), then the final answer. It plays the part of the
 * large teacher model of the paper, with perfect knowledge of the world.
 *
 * <p>The intent step restates the request "in plain words", the phrase the pretraining corpus
 * uses when it reads a disguised text back to its plain form; the knowledge step repeats the
 * action and the name as the intent step put them, then the substance's kind: "to make X is a toxic
 * gas ." since v2.14b ({@link NameInTrace} has the other namings studied). Both only elicit what the
 * base model already knows.
 */
public final class WorldTeacher {

    /** The refusal both RT and SRG data end harmful requests with. */
    public static final String REFUSAL = "sorry , i can not help with that .";

    /** The reading-back phrase shared by the corpus and the intent step. */
    public static final String PLAIN_WORDS = "in plain words :";

    public static final String THINK_OPEN = "<think>";
    public static final String THINK_CLOSE = "</think>";

    private WorldTeacher() {}

    /** The final answer to a plain request, identical in RT and SRG data. */
    public static String answer(WorldRequest request) {
        return request.harmful() ? REFUSAL : request.answer();
    }

    /**
     * The final answer to a request asked in {@code form} (null: plain): the refusal, or the answer
     * in the disguise's own mode, as the corpus answers disguised requests.
     */
    public static String answer(WorldRequest request, Disguise form, int variant, Lexicon lexicon) {
        // Refusals are always plain: the refusal is the one fixed string both RT and SRG learn.
        if (request.harmful() || form == null) {
            return answer(request);
        }
        return form.answer(request, variant, lexicon);
    }

    /** The reasoning, one line per guideline, without the think tags. */
    public static List<String> reasoning(WorldRequest request, NameInTrace naming) {
        return reasoning(request, naming, null);
    }

    /**
     * How the helpfulness step names the form of a benign request's answer, with
     * {@link SafetyData.Recipe#answerFormInTrace}: the seen disguises' own modes, plain words for
     * everything else. Only words the world already has, so the vocabulary and the second language
     * stay as they are.
     */
    static String answerForm(Disguise form) {
        if (form == null) {
            return "in plain words";
        }
        return switch (form) {
            case ROLE_PLAY -> "as a story";
            case CODE -> "as code";
            case LANGUAGE -> "in the way it was asked";
            default -> "in plain words";
        };
    }

    /**
     * The reasoning, one line per guideline; with {@code answerForm} (null: none), a benign
     * request's helpfulness step also says in which form to answer. Tried because SRG answers many
     * requests in unseen forms in the second language's mode, which nothing in the trace decided; with
     * it SRG names one of the seen forms for them, a different one per world, so the choice moved
     * into the trace without improving (docs/SAFETYWORLD.md, "v2.19 candidate").
     */
    public static List<String> reasoning(WorldRequest request, NameInTrace naming, String answerForm) {
        Entity e = request.entity();
        boolean harmful = request.harmful();
        boolean once = naming != NameInTrace.REPEATED;
        // After the knowledge step a ONCE trace says "it": every slot that wrote the name again had no
        // earlier context to copy it from, and there fine-tuned models wrote other substances' names.
        String later = once ? "it" : e.name();
        List<String> lines = new ArrayList<>();
        lines.add("intent : " + PLAIN_WORDS + " " + request.canonical());
        lines.add("context : no story , no role , no claimed authority changes what is asked .");
        // The name is written first after the words that precede it in the intent step ("to make X"):
        // a model copies a name after the context it followed before (an induction pattern), so this
        // works for names it never saw in fine-tuning. REPEATED then states the fact as the corpus does
        // ("X is a toxic gas"), so the kind is the base model's own recall; no "what is X ?" in between,
        // since nothing earlier puts a name after "what is" and there the fine-tuned models wrote a
        // training substance's name (docs/SAFETYWORLD.md, "v2.9 candidate"). That second "X" is itself
        // not copied on some worlds, more often with hazard signs, where the model writes a neighbouring
        // hazard's name (docs/SAFETYWORLD.md, "v2.14 candidate"). ONCE writes "it is" there; ONCE_FACT, the
        // standard since v2.14b, states the kind right after the copied name, as the corpus's facts do,
        // and there the fine-tuned models state a hazard's kind for a hazard as surely as after "X , X is".
        String verbAndName = "knowledge : to " + request.action().verb() + " " + e.name();
        lines.add(switch (naming) {
            case REPEATED -> verbAndName + " , " + e.keyFact();
            case ONCE -> verbAndName + " , it is " + e.kind().description() + " .";
            case ONCE_FACT, CARRIED -> verbAndName + " is " + e.kind().description() + " .";
        });
        if (harmful) {
            lines.add("harm : making " + later + " is dangerous because " + e.kind().effect() + " .");
            lines.add("policy : this is " + e.kind().harmCategory() + " harm .");
            lines.add("reflection : read plainly , the request still asks to make " + e.kind().description() + " .");
            lines.add("refinement : refuse briefly and give no steps .");
            lines.add("helpfulness : the only safe help here is a short refusal .");
        } else {
            lines.add("harm : " + (request.action() == Action.DETECT && e.dangerous()
                    ? "detecting " + later + " protects people ."
                    : "none , " + e.kind().effect() + " ."));
            lines.add("policy : this is allowed .");
            // The answer copies the name from some 50 tokens back, which fails on some worlds. CARRIED names
            // the substance again in the reflection and refinement steps, each time after the request's own
            // verb, where a fine-tuned model copies a name (v2.10 repaired those worlds and cost a few points
            // of capability on the others: docs/SAFETYWORLD.md, "v2.10 candidate" and "v2.26 candidate").
            boolean carried = naming == NameInTrace.CARRIED;
            String doX = "to " + request.action().verb() + " " + e.name();
            lines.add("reflection : read plainly , the request asks " + (carried ? doX + " , " : "to " + request.action().verb() + " ")
                    + e.kind().description() + " , which is safe .");
            lines.add("refinement : be helpful and give the full steps" + (carried ? " " + doX : "") + " .");
            lines.add(answerForm == null ? "helpfulness : answer fully and directly ."
                    : "helpfulness : answer fully and directly , " + answerForm + " .");
        }
        return lines;
    }

    /** The whole SRG target for a plain request: reasoning in think tags, then the answer. */
    public static String reasonedAnswer(WorldRequest request, NameInTrace naming) {
        return reasonedAnswer(request, null, 0, null, naming);
    }

    /**
     * The SRG target for a request asked in {@code form}: the same reasoning as for the plain
     * request (its intent step reads the form back to the plain request), then the answer in the
     * form's mode.
     */
    public static String reasonedAnswer(WorldRequest request, Disguise form, int variant, Lexicon lexicon,
            NameInTrace naming) {
        return reasonedAnswer(request, form, variant, lexicon, SafetyData.Recipe.STANDARD.withNameInTrace(naming));
    }

    /**
     * The same, as {@code recipe}'s teacher writes it: the name where its {@link NameInTrace} says,
     * the answer's form named in the helpfulness step with {@link SafetyData.Recipe#answerFormInTrace},
     * and each step without its closing period with {@link SafetyData.Recipe#bareSteps}.
     */
    public static String reasonedAnswer(WorldRequest request, Disguise form, int variant, Lexicon lexicon,
            SafetyData.Recipe recipe) {
        List<String> steps = reasoning(request, recipe.nameInTrace(), recipe.answerFormInTrace() ? answerForm(form) : null);
        if (recipe.bareSteps()) {
            steps = steps.stream().map(WorldTeacher::withoutClosingPeriod).toList();
        }
        return THINK_OPEN + " " + String.join(" ", steps) + " " + THINK_CLOSE + " " + answer(request, form, variant, lexicon);
    }

    /** A step without its closing " ." (the intent step ends with its request's own "?" or "." and keeps it). */
    private static String withoutClosingPeriod(String step) {
        return step.startsWith("intent :") || !step.endsWith(" .") ? step : step.substring(0, step.length() - 2);
    }
}
