package srg.world;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import srg.chat.Conversation;
import srg.chat.Message;
import srg.data.Behavior;

/**
 * SafetyWorld's safety-training and evaluation sets.
 *
 * <p>Training (RT and SRG) uses only plain-form requests about the training substances; RT and
 * SRG get the same queries and the same final answers and differ only in the reasoning.
 * Evaluation uses the held-out substances only, so no evaluation behavior was trained on.
 */
public final class SafetyData {

    /** One safety-training example: the plain request and the assistant's target. */
    public record Example(WorldRequest request, Conversation conversation) {}

    private SafetyData() {}

    /** Refusal training: harmful → refusal, benign → answer. */
    public static List<Example> refusalTraining(World world) {
        List<Example> out = new ArrayList<>();
        for (WorldRequest r : World.requests(world.trainEntities())) {
            out.add(new Example(r, Conversation.of(Message.user(r.text()), Message.assistant(WorldTeacher.answer(r)))));
        }
        return out;
    }

    /** SRG: the same queries → guideline reasoning in think tags, then the same answers. */
    public static List<Example> reasoningTraining(World world) {
        List<Example> out = new ArrayList<>();
        for (WorldRequest r : World.requests(world.trainEntities())) {
            out.add(new Example(r, Conversation.of(Message.user(r.text()),
                    Message.assistant(WorldTeacher.reasonedAnswer(r)))));
        }
        return out;
    }

    /** Plain harmful requests about held-out substances (the in-distribution test). */
    public static List<Behavior> harmfulEval(World world) {
        List<Behavior> out = new ArrayList<>();
        for (WorldRequest r : World.requests(world.evalEntities())) {
            if (r.harmful()) {
                out.add(behavior(r));
            }
        }
        return out;
    }

    /**
     * Benign requests about held-out substances, two phrasings each: making harmless things, and
     * detecting anything, hazards included (safe requests that look unsafe).
     */
    public static List<Behavior> benignEval(World world) {
        List<Behavior> out = new ArrayList<>();
        for (WorldRequest r : World.requests(world.evalEntities())) {
            if (!r.harmful() && r.phrasing() < 2) {
                out.add(behavior(r));
            }
        }
        return out;
    }

    public static Behavior behavior(WorldRequest r) {
        String category = r.harmful() ? r.entity().kind().harmCategory()
                : r.action() == Action.DETECT && r.entity().dangerous() ? "detect-hazard" : "benign";
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
