package srg.study.safetyworld;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import srg.run.TrainSettings;
import srg.world.NameInTrace;
import srg.world.SafetyData;
import srg.world.WorldConfig;

/**
 * What a SafetyWorld study generates and pretrains before the study proper: the world, the base
 * model's shape and pretraining, and what the safety-training mixture holds besides plain
 * requests (the same for RT and SRG).
 *
 * @param world the world's size and seed
 * @param model config.json fields of the base model (a Llama-style decoder)
 * @param sequenceLength pretraining sequence length (documents are packed); replayed knowledge is packed alike
 * @param pretrain the base model's pretraining (full training from random weights; its max_seq_len is sequenceLength)
 * @param mixture benign requests in the seen disguises, and replay of the corpus's knowledge
 */
public record SafetyWorldSettings(WorldConfig world, ObjectNode model, int sequenceLength, TrainSettings pretrain,
        SafetyData.Recipe mixture) {

    public SafetyWorldSettings {
        model = model.deepCopy();
    }

    /**
     * What decides the base model alone: the world, the model's shape and the pretraining. The
     * base stage's fingerprint, so that changing the safety recipe or the evaluation keeps the
     * pretrained base. The same JSON srg quickstart keyed its base models with before studies.
     */
    public ObjectNode baseJson() {
        ObjectNode o = new ObjectMapper().createObjectNode();
        ObjectNode w = o.putObject("world");
        w.put("seed", world.seed());
        putSize(w, world);
        o.set("model", model.deepCopy());
        o.put("sequence_length", sequenceLength);
        o.set("pretrain", pretrain.config().resultDefiningJson());
        return o;
    }

    /**
     * Writes the world's size and signs: {@code harmless_per_kind} only when it differs from
     * {@code entities_per_kind}, {@code hazard_signs} only when on, so that the fingerprints of
     * worlds keyed before either existed stay as they were.
     */
    public static void putSize(ObjectNode o, WorldConfig world) {
        o.put("entities_per_kind", world.entitiesPerKind());
        if (world.unbalanced()) {
            o.put("harmless_per_kind", world.harmlessPerKind());
        }
        o.put("eval_entities_per_kind", world.evalEntitiesPerKind());
        if (world.hazardSigns()) {
            o.put("hazard_signs", true);
        }
    }

    /** config.json's hidden_size of the base model. */
    public int hiddenSize() {
        return model.path("hidden_size").asInt();
    }

    /** config.json's num_hidden_layers of the base model. */
    public int layers() {
        return model.path("num_hidden_layers").asInt();
    }

    /**
     * The mixture as the world stage's fingerprint writes it. {@code replay_passes} appears only
     * when it is not one pass, {@code name_in_trace} only when it is not the default,
     * {@code half_detection}, {@code answer_form_in_trace}, {@code plain_answers} and {@code bare_steps} only when on,
     * so worlds keyed before any of them existed keep their keys (the study file adds the passes
     * always).
     */
    public static ObjectNode mixtureJson(SafetyData.Recipe mixture) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("seen_forms", mixture.seenForms()).put("replay", mixture.replay());
        if (mixture.replayPasses() > 1) {
            o.put("replay_passes", mixture.replayPasses());
        }
        if (mixture.validationSubstances() > 0) {
            o.put("validation_substances", mixture.validationSubstances());
        }
        if (mixture.nameInTrace() != NameInTrace.REPEATED) {
            o.put("name_in_trace", mixture.nameInTrace().setting());
        }
        if (mixture.halfDetection()) {
            o.put("half_detection", true);
        }
        if (mixture.answerFormInTrace()) {
            o.put("answer_form_in_trace", true);
        }
        if (mixture.plainAnswers()) {
            o.put("plain_answers", true);
        }
        if (mixture.bareSteps()) {
            o.put("bare_steps", true);
        }
        return o;
    }
}
