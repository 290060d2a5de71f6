package srg.parity;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static srg.parity.CaseTests.require;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import srg.engine.model.ForwardInputs;
import srg.engine.model.KvCache;
import srg.engine.model.ModelConfig;
import srg.engine.model.ModelLoader;
import srg.engine.model.Projection;
import srg.engine.model.Transformer;
import srg.engine.model.WeightLayout;

/**
 * Checkpoints made and saved by transformers, one per family × dtype, covering every feature:
 * srg must read their config.json as transformers does (head width, biases, tying, per-layer
 * windows, rotary frequencies), and give transformers' logits over a 64-token prompt (max |Δ| ≤
 * 1e-4 in F32), once in one prefill pass and once decoding token by token through the KV cache
 * after a 32-token prefill, and every layer's hidden state of {@code output_hidden_states}.
 *
 * <p>So that a pass cannot be vacuous, each feature that lives in config.json is also switched
 * off in a copy of the config (rope scaling, transformers 5's rope_parameters, the sliding
 * window): srg's logits must then differ from transformers' by more than 1e-3.
 */
class CheckpointParityIT {

    static final double LOGITS = 1e-4;
    static final double HIDDEN = 1e-4;
    static final double MATTERS = 1e-3;

    @TestFactory
    Stream<DynamicTest> everyFamilyAndFeatureMatchesTransformers() {
        Reference ref = Reference.get();
        FeatureMatrix matrix = new FeatureMatrix();
        List<String> lines = new ArrayList<>();
        return CaseTests.of(ref.list("arch_cases"), "checkpoints made by transformers (max |Δ| vs transformers;"
                + " logits and hidden states must be <= 1e-4, a feature switched off must move logits > 1e-3)", c -> {
                    CaseTests.Outcome o = check(c, ref);
                    matrix.record(c.get("family").asText(), features(c), o.failures().isEmpty());
                    lines.add(o.line());
                    return o;
                }, () -> {
                    String table = matrix.render();
                    System.out.println(table);
                    Files.writeString(ref.work().resolve("matrix.md"), table + "\n" + String.join("\n", lines) + "\n");
                    List<String> gaps = matrix.gaps();
                    assertTrue(gaps.isEmpty(), "families x features not covered or failed: " + gaps);
                });
    }

    private static List<String> features(JsonNode c) {
        List<String> out = new ArrayList<>();
        c.get("features").forEach(f -> out.add(f.asText()));
        return out;
    }

    /** Runs every check of one case. */
    private static CaseTests.Outcome check(JsonNode c, Reference ref) throws IOException {
        List<String> failures = new ArrayList<>();
        Path dir = Path.of(c.get("dir").asText());
        String reference = c.get("reference").asText();
        long[] ids = Reference.ids(c.get("ids"));
        int decodeFrom = ref.manifest().get("decode_from").asInt();
        float[] expected = Reference.tensor(reference, "prefill_logits");
        StringBuilder line = new StringBuilder(String.format("%-13s", c.get("name").asText()));
        try (Transformer model = ModelLoader.load(dir, Device.cpu())) {
            failures.addAll(configMismatches(model.config(), c.get("facts"), reference));
            int layers = model.config().numLayers();
            float[][] hidden = new float[layers + 1][];
            float[] prefill = logits(model, ids, hidden);
            double prefillDiff = Diff.maxAbs(expected, prefill);
            double hiddenDiff = 0;
            for (int i = 0; i <= layers; i++) {
                hiddenDiff = Math.max(hiddenDiff, Diff.maxAbs(Reference.tensor(reference, "hidden." + i), hidden[i]));
            }
            double decodeDiff = Diff.maxAbs(Reference.tensor(reference, "decode_logits"), decode(model, ids, decodeFrom));
            line.append(" prefill ").append(Diff.format(prefillDiff)).append(", decode ")
                    .append(Diff.format(decodeDiff)).append(", hidden ").append(Diff.format(hiddenDiff));
            require(prefillDiff <= LOGITS, "prefill logits max |Δ| " + prefillDiff, failures);
            require(decodeDiff <= LOGITS, "KV-cached decode logits max |Δ| " + decodeDiff, failures);
            require(hiddenDiff <= HIDDEN, "hidden states max |Δ| " + hiddenDiff, failures);
        }
        for (Ablation a : ablations(c)) {
            Path copy = a.apply(dir, ref.work().resolve("ablations").resolve(c.get("name").asText() + "-" + a.id()));
            double moved;
            try (Transformer model = ModelLoader.load(copy, Device.cpu())) {
                moved = Diff.maxAbs(expected, logits(model, ids, null));
            }
            line.append("; ").append(a.description()).append(": ").append(Diff.format(moved));
            require(moved > MATTERS, a.description() + " moves logits by only " + moved
                    + ", so the check cannot see this feature", failures);
        }
        return new CaseTests.Outcome(line.toString(), failures);
    }

    /** What transformers made of config.json, against what srg made of it. */
    private static List<String> configMismatches(ModelConfig mc, JsonNode facts, String reference) {
        List<String> out = new ArrayList<>();
        compare(out, "head_dim", facts.get("head_dim").asInt(), mc.headDim());
        compare(out, "num_key_value_heads", facts.get("num_key_value_heads").asInt(), mc.numKvHeads());
        compare(out, "tied embeddings", facts.get("tied").asBoolean(), mc.tieWordEmbeddings());
        compare(out, "q/k/v bias", facts.get("q_bias").asBoolean(), mc.attentionBias());
        compare(out, "o bias", facts.get("o_bias").asBoolean(), WeightLayout.hasBias(mc, Projection.O));
        compare(out, "mlp bias", facts.get("mlp_bias").asBoolean(), mc.mlpBias());
        compare(out, "q/k norm", facts.get("qk_norm").asBoolean(), mc.family().qkNorm());
        List<Integer> windows = new ArrayList<>();
        facts.get("windows").forEach(w -> windows.add(w.asInt()));
        compare(out, "per-layer windows", windows, mc.layerWindows());
        double[] inv = mc.rope().inverseFrequencies(mc.headDim());
        float[] ours = new float[inv.length];
        for (int i = 0; i < inv.length; i++) {
            ours[i] = (float) inv[i];
        }
        double rel = Diff.relative(Reference.tensor(reference, "inv_freq"), ours);
        if (rel > 1e-6) {
            out.add("rotary inverse frequencies differ (relative " + rel + "): transformers "
                    + facts.get("rope_type").asText() + " theta " + facts.get("rope_theta").asDouble() + ", srg "
                    + mc.rope());
        }
        return out;
    }

    private static void compare(List<String> out, String what, Object transformers, Object srg) {
        if (!transformers.equals(srg)) {
            out.add(what + ": transformers " + transformers + ", srg " + srg);
        }
    }

    /** Logits [T·V] of one prefill pass; fills {@code hidden} (numbered as output_hidden_states) when given. */
    static float[] logits(Transformer model, long[] ids, float[][] hidden) {
        int last = model.config().numLayers();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            ForwardInputs in = ForwardInputs.build(m, model, new int[] {0}, 0, ids.length);
            NDArray h = model.forward(m.create(ids, new Shape(1, ids.length)), in, null, null, hidden == null ? null
                    : (layer, residual) -> hidden[layer] = (layer == last ? model.finalNorm(residual) : residual)
                            .toFloatArray());
            return model.logits(h).toFloatArray();
        }
    }

    /** Logits of tokens decodeFrom.. fed one at a time after a prefill of the first decodeFrom. */
    private static float[] decode(Transformer model, long[] ids, int decodeFrom) {
        int vocab = model.config().vocabSize();
        float[] out = new float[(ids.length - decodeFrom) * vocab];
        try (NDManager m = NDManager.newBaseManager(Device.cpu());
                KvCache cache = new KvCache(m, model.config(), 1, ids.length)) {
            long[] prompt = Arrays.copyOf(ids, decodeFrom);
            model.forward(m.create(prompt, new Shape(1, decodeFrom)),
                    ForwardInputs.build(m, model, new int[] {0}, 0, decodeFrom), cache, null, null);
            for (int t = decodeFrom; t < ids.length; t++) {
                ForwardInputs in = ForwardInputs.build(m, model, new int[] {0}, cache.length(), 1);
                NDArray h = model.forward(m.create(new long[] {ids[t]}, new Shape(1, 1)), in, cache, null, null);
                System.arraycopy(model.logits(h).toFloatArray(), 0, out, (t - decodeFrom) * vocab, vocab);
            }
        }
        return out;
    }

    /** A config.json feature switched off in a copy of the checkpoint (weights linked, not copied). */
    record Ablation(String id, String description, Consumer<ObjectNode> edit) {
        Path apply(Path dir, Path copy) throws IOException {
            Files.createDirectories(copy);
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Path link = copy.resolve(f.getFileName());
                    Files.deleteIfExists(link);
                    if (!f.getFileName().toString().equals("config.json")) {
                        Files.createSymbolicLink(link, f);
                    }
                }
            }
            ObjectNode cfg = (ObjectNode) Reference.JSON.readTree(dir.resolve("config.json").toFile());
            edit.accept(cfg);
            Files.writeString(copy.resolve("config.json"), cfg.toString());
            return copy;
        }
    }

    private static List<Ablation> ablations(JsonNode c) {
        List<String> features = features(c);
        boolean v5 = c.get("layout").asText().equals("v5");
        List<Ablation> out = new ArrayList<>();
        if (features.contains("llama3 rope") || features.contains("linear rope")) {
            out.add(new Ablation("noscaling", "without rope scaling", cfg -> {
                cfg.remove("rope_scaling");
                if (cfg.get("rope_parameters") instanceof ObjectNode rp) {
                    rp.put("rope_type", "default");
                }
            }));
        }
        if (v5 && c.get("facts").get("rope_theta").asDouble() != 10000.0 || v5 && out.size() > 0) {
            // The defect that started this suite: rope_parameters ignored, theta 10000, no scaling.
            out.add(new Ablation("norope", "rope_parameters ignored", cfg -> {
                cfg.remove("rope_parameters");
                cfg.remove("rope_theta");
            }));
        }
        if (features.contains("window < seq")) {
            out.add(new Ablation("nowindow", "without sliding window", cfg -> {
                cfg.remove("layer_types");
                cfg.put("use_sliding_window", false);
                cfg.putNull("sliding_window");
            }));
        }
        return out;
    }
}
