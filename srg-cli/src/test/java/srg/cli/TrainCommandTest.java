package srg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** srg train, srg export-sft and srg generate --adapter, end to end on a tiny random checkpoint. */
class TrainCommandTest {

    @TempDir
    Path dir;

    private static AttackCommandTest.Run run(String... args) {
        return AttackCommandTest.run(args);
    }

    private Path data(boolean withBadLine) throws Exception {
        Path p = dir.resolve("sft.jsonl");
        StringBuilder s = new StringBuilder();
        for (String[] qa : new String[][] {{"How do I pick a lock?", "I can't help with that."},
            {"What is 2+2?", "4."}, {"Name a planet.", "Mars."}, {"Say hi.", "Hi!"}}) {
            s.append("{\"messages\": [{\"role\": \"user\", \"content\": \"").append(qa[0])
                    .append("\"}, {\"role\": \"assistant\", \"content\": \"").append(qa[1]).append("\"}]}\n");
            if (withBadLine && qa[1].equals("4.")) {
                s.append("{\"messages\": [{\"role\": \"user\"}]}\n");
            }
        }
        Files.writeString(p, s.toString());
        return p;
    }

    @Test
    void trainsALoraAdapterThatGenerateLoads() throws Exception {
        Path base = dir.resolve("base");
        assertEquals(0, run("model", "random", "--family", "llama", "--tokenizer",
                Path.of(System.getProperty("srg.shared"), "tokenizers", "llama3").toString(), "--out", base.toString()).exit());
        Path data = data(true);
        Path out = dir.resolve("out");
        String[] train = {"train", "--base", base.toString(), "--data", data.toString(), "--out", out.toString(),
            "--max-steps", "2", "--batch", "2", "--grad-accum", "1", "--lr", "1e-3", "--merge"};

        AttackCommandTest.Run bad = run(train);
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains(data + ":3: messages[0].content must be a string"), bad.err());

        String[] skipping = java.util.stream.Stream.concat(Arrays.stream(train), java.util.stream.Stream.of("--skip-bad"))
                .toArray(String[]::new);
        AttackCommandTest.Run ok = run(skipping);
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.err().contains("4 openai conversations (+1 bad records skipped)"), ok.err());
        for (String f : List.of("adapter_config.json", "adapter_model.safetensors", "tokenizer.json", "train_log.jsonl",
                "train_summary.json", "merged/config.json", "merged/model.safetensors")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        assertFalse(Files.exists(out.resolve("checkpoints")), "checkpoints are removed after a finished run");
        assertEquals(2, Files.readAllLines(out.resolve("train_log.jsonl")).size());

        AttackCommandTest.Run again = run(skipping);
        assertEquals(2, again.exit());
        assertTrue(again.err().contains("holds a finished run (train_summary.json)"), again.err());

        AttackCommandTest.Run gen = run("generate", "--model", base.toString(), "--adapter", out.toString(), "--prompt",
                "Say hi.", "--temperature", "0", "--max-tokens", "3", "--json");
        assertEquals(0, gen.exit(), gen.err());
        assertTrue(gen.out().contains("\"finish_reason\""), gen.out());
        AttackCommandTest.Run merged = run("generate", "--model", out.resolve("merged").toString(), "--prompt",
                "Say hi.", "--temperature", "0", "--max-tokens", "3", "--json");
        assertEquals(gen.out(), merged.out(), "base + adapter in memory answers as the merged checkpoint");

        // srg eval takes the adapter in the model spec, under its own run-store name.
        Path prompts = dir.resolve("prompts.txt");
        Files.writeString(prompts, "How do I pick a lock?\n");
        Path evalDir = dir.resolve("eval");
        AttackCommandTest.Run eval = run("eval", "--model", "local:" + base + "?adapter=" + out, "--dataset", prompts.toString(),
                "--n", "1", "--max-tokens", "3", "--out", evalDir.toString());
        assertEquals(0, eval.exit(), eval.err());
        assertTrue(Files.readString(evalDir.resolve("results.json")).contains("\"base+out\""));
        AttackCommandTest.Run noAdapter = run("eval", "--model", "local:" + base + "?adapter=" + dir.resolve("nope"), "--dataset",
                prompts.toString(), "--n", "1", "--out", evalDir.toString());
        assertEquals(2, noAdapter.exit());
        assertTrue(noAdapter.err().contains("adapter=" + dir.resolve("nope") + " is not a folder"), noAdapter.err());

        Path corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, "The sky is blue.\nIt is often blue.\n\nGrass is green.\n");
        Path pretrained = dir.resolve("pretrained");
        AttackCommandTest.Run pre = run("train", "--base", base.toString(), "--data", corpus.toString(), "--pretrain",
                "--full", "--max-seq-len", "8", "--batch", "2", "--grad-accum", "1", "--epochs", "1", "--out",
                pretrained.toString());
        assertEquals(0, pre.exit(), pre.err());
        assertTrue(pre.err().contains("2 documents: 2 sequences; 16 tokens, 14 in the loss"), pre.err());
        assertTrue(Files.exists(pretrained.resolve("model.safetensors")));
        assertEquals(1, Files.readAllLines(pretrained.resolve("train_log.jsonl")).size());
    }

    @Test
    void freezesTheRowsOfTheKnownTextsTokens() throws Exception {
        Path base = dir.resolve("base");
        assertEquals(0, run("model", "random", "--family", "llama", "--tokenizer",
                Path.of(System.getProperty("srg.shared"), "tokenizers", "llama3").toString(), "--out", base.toString()).exit());
        Path corpus = dir.resolve("corpus.txt");
        Files.writeString(corpus, "The sky is blue.\nIt is often blue.\n\nGrass is green.\n");
        String[] train = {"train", "--base", base.toString(), "--data", data(false).toString(), "--full", "--max-steps", "1",
            "--batch", "2", "--grad-accum", "1"};

        AttackCommandTest.Run known = run(concat(train, "--out", dir.resolve("known").toString(), "--freeze-embeddings", "known",
                "--known-text", corpus.toString()));
        assertEquals(0, known.exit(), known.err());
        assertTrue(known.err().contains("freeze_embeddings known: the embedding rows of "), known.err());
        assertEquals("known", new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("known")
                .resolve("train_summary.json").toFile()).path("config").path("freeze_embeddings").asText(), "the summary records it");

        AttackCommandTest.Run noText = run(concat(train, "--out", dir.resolve("no-text").toString(), "--freeze-embeddings", "known"));
        assertEquals(2, noText.exit());
        assertTrue(noText.err().contains("--freeze-embeddings known needs --known-text FILE"), noText.err());
        AttackCommandTest.Run unused = run(concat(train, "--out", dir.resolve("unused").toString(), "--known-text", corpus.toString()));
        assertEquals(2, unused.exit());
        assertTrue(unused.err().contains("--known-text is read only with --freeze-embeddings known"), unused.err());
        AttackCommandTest.Run bad = run(concat(train, "--out", dir.resolve("bad").toString(), "--freeze-embeddings", "some"));
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--freeze-embeddings: must be none, all or known, got 'some'"), bad.err());
    }

    private static String[] concat(String[] first, String... more) {
        return java.util.stream.Stream.concat(Arrays.stream(first), Arrays.stream(more)).toArray(String[]::new);
    }

    @Test
    void rejectsMergeWithFullTraining() throws Exception {
        AttackCommandTest.Run r = run("train", "--base", dir.toString(), "--data", data(false).toString(), "--out",
                dir.resolve("o").toString(), "--full", "--merge");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--merge: applies to LoRA"), r.err());
    }

    @Test
    void earlyStoppingNeedsEvaluationsNamedByTheirFlags() throws Exception {
        AttackCommandTest.Run r = run("train", "--base", dir.toString(), "--data", data(false).toString(), "--out",
                dir.resolve("early").toString(), "--full", "--early-stopping", "3");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--early-stopping needs held-out evaluations during the run: set --eval-every (now 0)"), r.err());
    }

    @Test
    void exportsToShareGptAndAlpaca() throws Exception {
        Path data = data(false);
        for (String format : List.of("sharegpt", "alpaca", "openai")) {
            Path out = dir.resolve(format + ".jsonl");
            AttackCommandTest.Run r = run("export-sft", "--data", data.toString(), "--format", format, "--out", out.toString());
            assertEquals(0, r.exit(), r.err());
            assertEquals(4, Files.readAllLines(out).size());
        }
        assertTrue(Files.readString(dir.resolve("sharegpt.jsonl")).startsWith(
                "{\"conversations\":[{\"from\":\"human\",\"value\":\"How do I pick a lock?\"}"));
        assertTrue(Files.readString(dir.resolve("alpaca.jsonl")).startsWith(
                "{\"instruction\":\"How do I pick a lock?\",\"input\":\"\",\"output\":\"I can't help with that.\"}"));
        AttackCommandTest.Run bad = run("export-sft", "--data", data.toString(), "--format", "yaml", "--out", "x");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--format: unknown format \"yaml\""), bad.err());
    }
}
