package srg.parity;

import static srg.parity.CaseTests.require;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import srg.engine.LocalModel;

/**
 * Adapters and checkpoints crossing between srg and the Hugging Face stack, per family, logits
 * max |Δ| ≤ 1e-4 on a chat prompt:
 *
 * <ul>
 *   <li>a LoRA adapter made by PEFT (non-zero B, rsLoRA and alpha_pattern among the families)
 *       loads in srg ({@code --adapter});
 *   <li>the adapter {@code srg train} writes loads in PEFT, and its {@code --merge} checkpoint in
 *       transformers;
 *   <li>the checkpoints of {@code srg train --full} and {@code srg model random} (F32, F16, BF16)
 *       load in transformers with no missing or unexpected tensor.
 * </ul>
 */
class AdapterParityIT {

    /** srg's logits for each artifact srg wrote, and transformers' or PEFT's for the same. */
    private static Map<String, double[]> written;
    private static RuntimeException writeFailure;

    private static final String[] RANDOM_DTYPES = {"bf16", "f16", "f32", "bf16"};

    @TestFactory
    Stream<DynamicTest> adaptersAndCheckpointsCrossBothWays() {
        Reference ref = Reference.get();
        List<JsonNode> cases = ref.list("chat_cases");
        return CaseTests.of(cases, "adapters and checkpoints between srg and transformers/PEFT (logits max |Δ|"
                + " <= 1e-4)", c -> check(c, ref, cases), null);
    }

    private static CaseTests.Outcome check(JsonNode c, Reference ref, List<JsonNode> cases) throws Exception {
        String name = c.get("name").asText();
        List<String> failures = new ArrayList<>();
        Path dir = Path.of(c.get("dir").asText());
        long[] ids = Reference.ids(c.get("prompt_ids"));
        String reference = c.get("reference").asText();
        double peftIn;
        double moved;
        try (LocalModel withPeft = LocalModel.load(dir, Path.of(c.get("peft_adapter").asText()), Device.cpu())) {
            float[] ours = CheckpointParityIT.logits(withPeft.transformer(), ids, null);
            peftIn = Diff.maxAbs(Reference.tensor(reference, "peft_logits"), ours);
            moved = Diff.maxAbs(Reference.tensor(reference, "base_logits"), ours);
        }
        require(peftIn <= CheckpointParityIT.LOGITS, "PEFT adapter in srg: max |Δ| " + peftIn, failures);
        require(moved > CheckpointParityIT.MATTERS, "the PEFT adapter moves logits by only " + moved, failures);
        StringBuilder line = new StringBuilder(String.format("%-13s PEFT adapter -> srg %s (adapter moves %s)", name,
                Diff.format(peftIn), Diff.format(moved)));
        for (Map.Entry<String, double[]> e : written(ref, cases).entrySet()) {
            if (e.getKey().startsWith(name + " ")) {
                String what = e.getKey().substring(name.length() + 1);
                double d = e.getValue()[0];
                line.append(", ").append(what).append(' ').append(Diff.format(d));
                require(d <= CheckpointParityIT.LOGITS, what + ": max |Δ| " + d, failures);
            }
        }
        return new CaseTests.Outcome(line.toString(), failures);
    }

    /**
     * Runs {@code srg train} (LoRA with --merge, and full) and {@code srg model random} for every
     * family, then loads all of it in transformers and PEFT in one reference run. Keys are
     * "case artifact"; values hold max |Δ| between srg's logits and the reference's.
     */
    private static synchronized Map<String, double[]> written(Reference ref, List<JsonNode> cases)
            throws IOException, InterruptedException {
        if (writeFailure != null) {
            throw writeFailure;
        }
        if (written != null) {
            return written;
        }
        try {
            List<Reference.LoadRequest> requests = new ArrayList<>();
            List<float[]> ours = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            String data = ref.manifest().get("sft_data").asText();
            for (int i = 0; i < cases.size(); i++) {
                JsonNode c = cases.get(i);
                String name = c.get("name").asText();
                String base = c.get("dir").asText();
                long[] ids = Reference.ids(c.get("prompt_ids"));
                Path out = ref.work().resolve("srg");
                Path lora = out.resolve(name + "-lora");
                Cli.srg("train", "--base", base, "--data", data, "--out", lora.toString(), "--lora-rank", "4",
                        "--lora-alpha", "16", "--lr", "0.05", "--max-steps", "2", "--batch", "3", "--grad-accum", "1",
                        "--warmup", "0", "--checkpoint-every", "0", "--merge", "--seed", String.valueOf(i));
                Path full = out.resolve(name + "-full");
                Cli.srg("train", "--base", base, "--data", data, "--out", full.toString(), "--full", "--lr", "0.001",
                        "--max-steps", "1", "--batch", "3", "--grad-accum", "1", "--warmup", "0",
                        "--checkpoint-every", "0");
                Path random = out.resolve(name + "-random-" + RANDOM_DTYPES[i]);
                Cli.srg("model", "random", "--family", c.get("family").asText(), "--preset", "tiny", "--tokenizer",
                        Reference.shared().resolve("tokenizers").resolve(c.get("tokenizer").asText()).toString(),
                        "--seed", String.valueOf(i), "--dtype", RANDOM_DTYPES[i], "--out", random.toString());
                float[] withLora = logits(Path.of(base), lora, ids);
                requests.add(Reference.LoadRequest.peft(name + "-lora", lora, Path.of(base), ids));
                ours.add(withLora);
                keys.add(name + " srg LoRA -> PEFT");
                requests.add(Reference.LoadRequest.model(name + "-merged", lora.resolve("merged"), ids));
                ours.add(withLora);
                keys.add(name + " srg --merge -> transformers");
                requests.add(Reference.LoadRequest.model(name + "-full", full, ids));
                ours.add(logits(full, null, ids));
                keys.add(name + " srg --full -> transformers");
                requests.add(Reference.LoadRequest.model(name + "-random", random, ids));
                ours.add(logits(random, null, ids));
                keys.add(name + " srg model random " + RANDOM_DTYPES[i] + " -> transformers");
            }
            List<float[]> theirs = ref.load(requests);
            Map<String, double[]> out = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                out.put(keys.get(i), new double[] {Diff.maxAbs(theirs.get(i), ours.get(i))});
            }
            written = out;
            return out;
        } catch (RuntimeException e) {
            writeFailure = e;
            throw e;
        }
    }

    private static float[] logits(Path model, Path adapter, long[] ids) throws IOException {
        try (LocalModel m = LocalModel.load(model, adapter, Device.cpu())) {
            return CheckpointParityIT.logits(m.transformer(), ids, null);
        }
    }
}
