package srg.parity;

import static srg.parity.CaseTests.require;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import srg.chat.Conversation;
import srg.engine.LocalModel;
import srg.engine.hidden.HiddenStateExtractor;
import srg.probe.HiddenStateBatch;

/**
 * A checkpoint saved by transformers 5 (config with {@code rope_parameters}, tokenizer and chat
 * template as transformers writes them), one per family with a real tokenizer: srg's prompt
 * tokens and logits equal transformers', {@code srg generate --temperature 0} gives the greedy
 * output of {@code generate(do_sample=False)}, and the hidden states {@code srg probe} reads
 * (last token and mean over the prompt, every layer) equal {@code output_hidden_states}.
 */
class GenerationParityIT {

    @TestFactory
    Stream<DynamicTest> transformers5CheckpointsGenerateAsTransformersDoes() {
        Reference ref = Reference.get();
        return CaseTests.of(ref.list("chat_cases"), "transformers 5 checkpoints with real tokenizers (logits and"
                + " hidden states max |Δ| <= 1e-4; greedy text equal)", c -> check(c, ref), null);
    }

    private static CaseTests.Outcome check(JsonNode c, Reference ref) throws Exception {
        Path dir = Path.of(c.get("dir").asText());
        String reference = c.get("reference").asText();
        String prompt = c.get("prompt").asText();
        long[] promptIds = Reference.ids(c.get("prompt_ids"));
        List<String> failures = new ArrayList<>();
        double logits;
        double hidden = 0;
        try (LocalModel model = LocalModel.load(dir, Device.cpu())) {
            long[] ours = model.promptTokens(Conversation.user(prompt));
            if (!Arrays.equals(promptIds, ours)) {
                failures.add("prompt tokens differ: transformers " + Arrays.toString(promptIds) + ", srg "
                        + Arrays.toString(ours));
            }
            logits = Diff.maxAbs(Reference.tensor(reference, "base_logits"),
                    CheckpointParityIT.logits(model.transformer(), promptIds, null));
            HiddenStateExtractor extractor = new HiddenStateExtractor("parity", model, 1);
            HiddenStateBatch batch = extractor.extract(List.of(Conversation.user(prompt)), extractor.allLayers());
            float[] last = Reference.tensor(reference, "hidden_last");
            float[] mean = Reference.tensor(reference, "hidden_mean");
            int h = extractor.hiddenSize();
            for (int layer = 0; layer < batch.lastToken()[0].length; layer++) {
                hidden = Math.max(hidden, Diff.maxAbs(Arrays.copyOfRange(last, layer * h, (layer + 1) * h),
                        batch.lastToken()[0][layer]));
                hidden = Math.max(hidden, Diff.maxAbs(Arrays.copyOfRange(mean, layer * h, (layer + 1) * h),
                        batch.meanPooled()[0][layer]));
            }
        }
        require(logits <= CheckpointParityIT.LOGITS, "logits max |Δ| " + logits, failures);
        require(hidden <= CheckpointParityIT.HIDDEN, "hidden states max |Δ| " + hidden, failures);
        int tokens = ref.manifest().get("greedy_tokens").asInt();
        String out = Cli.srg("generate", "--model", dir.toString(), "--prompt", prompt, "--temperature", "0",
                "--max-tokens", String.valueOf(tokens), "--json", "--dtype", "f32"); // F32, the reference transformers ran
        JsonNode sample = Reference.JSON.readTree(out.lines().findFirst().orElseThrow());
        JsonNode greedy = c.get("greedy");
        String expected = greedy.get("text").asText();
        if (!sample.get("text").asText().equals(expected)
                || sample.get("completion_tokens").asInt() != greedy.get("ids").size()) {
            failures.add("srg generate --temperature 0 gave " + Reference.JSON.writeValueAsString(sample.get("text"))
                    + " (" + sample.get("completion_tokens") + " tokens), transformers "
                    + Reference.JSON.writeValueAsString(expected) + " (" + greedy.get("ids").size() + " tokens)");
        }
        String line = String.format("%-13s logits %s, hidden states %s, greedy %d tokens %s", c.get("name").asText(),
                Diff.format(logits), Diff.format(hidden), greedy.get("ids").size(),
                failures.stream().anyMatch(f -> f.startsWith("srg generate")) ? "DIFFER" : "equal");
        return new CaseTests.Outcome(line, failures);
    }
}
