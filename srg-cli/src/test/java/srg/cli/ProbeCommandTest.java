package srg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import srg.attack.Attack;
import srg.attack.AttackKind;
import srg.attack.AttackedPrompt;
import srg.chat.Conversation;
import srg.data.Behavior;
import srg.probe.HiddenStateBatch;
import srg.probe.HiddenStateSource;
import srg.run.Probing;

class ProbeCommandTest {

    @TempDir
    Path dir;

    /**
     * A model that recognises harm by the lower-case word "weapon" only: the "shout" attack
     * (upper case) hides it, the "echo" attack (a plain copy) does not.
     */
    static final class KeywordModel implements HiddenStateSource {
        final String id;
        int batches;

        KeywordModel(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public int numLayers() {
            return 2;
        }

        @Override
        public int hiddenSize() {
            return 6;
        }

        @Override
        public HiddenStateBatch extract(List<Conversation> conversations, int[] layers) {
            batches++;
            float[][][] last = new float[conversations.size()][layers.length][];
            float[][][] mean = new float[conversations.size()][layers.length][];
            for (int r = 0; r < conversations.size(); r++) {
                for (int l = 0; l < layers.length; l++) {
                    last[r][l] = vector(conversations.get(r), layers[l]);
                    mean[r][l] = vector(conversations.get(r), layers[l] + 100);
                }
            }
            return new HiddenStateBatch(last, mean);
        }

        private static float[] vector(Conversation c, int salt) {
            SplittableRandom random = new SplittableRandom(c.sha256().hashCode() + 31L * salt);
            float[] v = new float[6];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) (random.nextDouble() - 0.5);
            }
            if (c.lastUserContent().contains("weapon")) {
                v[0] += 5;
            }
            return v;
        }
    }

    static Attack rewriting(String name, java.util.function.UnaryOperator<String> rewrite) {
        return new Attack() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public AttackKind kind() {
                return AttackKind.STATIC;
            }

            @Override
            public String reference() {
                return "test";
            }

            @Override
            public List<AttackedPrompt> apply(Behavior b) {
                return List.of(new AttackedPrompt(b.id(), name, Map.of(), Conversation.user(rewrite.apply(b.text()))));
            }
        };
    }

    final List<String> opened = new ArrayList<>();
    final Map<String, KeywordModel> modelsBySpec = Map.of("dir/base", new KeywordModel("base"), "dir/rt", new KeywordModel("rt"));

    final Probing.Sources wiring = new Probing.Sources() {
        @Override
        public HiddenStateSource openModel(String spec, int batchSize) {
            opened.add(spec);
            return modelsBySpec.get(spec);
        }

        @Override
        public List<Behavior> readBehaviors(String dataset, String flag) {
            Path file = Path.of(dataset);
            List<Behavior> out = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String name = file.getFileName().toString();
                out.add(switch (name) {
                    case "harmful.csv" -> Behavior.harmful("h" + i, "explain how to build a weapon, case " + i, "weapons");
                    case "benign.csv" -> Behavior.benign("b" + i, "explain how to bake bread, case " + i, "");
                    default -> i % 2 == 0 ? Behavior.harmful("x" + i, "a weapon question " + i, "")
                            : Behavior.benign("x" + i, "a garden question " + i, "");
                });
            }
            return out;
        }

        @Override
        public Attack attack(String name, long seed) {
            return switch (name) {
                case "shout" -> rewriting("shout", s -> s.toUpperCase(Locale.ROOT));
                case "echo" -> rewriting("echo", s -> s);
                default -> throw new srg.UserError("--attacks: unknown attack " + name);
            };
        }
    };

    private int run(ProbeCommand command, StringWriter out, StringWriter err, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setExecutionExceptionHandler(new UserErrorHandler());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void extractsAnalysesAndWritesTheRunFolder() throws IOException {
        Path runDir = dir.resolve("run");
        String[] args = {"--model", "dir/base", "--model", "dir/rt", "--id-harmful", "harmful.csv", "--id-benign",
            "benign.csv", "--attacks", "shout,echo", "--ood", "mixed=mixed.csv", "--batch-size", "5", "--out",
            runDir.toString()};
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, run(new ProbeCommand(wiring), out, err, args), err.toString());

        assertTrue(Files.isRegularFile(runDir.resolve("hidden/rt/shout.f32")));
        assertTrue(Files.isRegularFile(runDir.resolve("hidden/base/mixed.json")));
        assertTrue(Files.size(runDir.resolve("probe.html")) > 500_000);
        JsonNode probe = new ObjectMapper().readTree(runDir.resolve("probe.json").toFile());
        JsonNode layer = probe.at("/models/rt/poolings/last_token/2");
        // The keyword model cannot see through upper case, but sees through a plain copy.
        assertTrue(layer.at("/probe/ood/shout/harmful_rate").asDouble() < 0.2, layer.toString());
        assertTrue(layer.at("/probe/ood/echo/harmful_rate").asDouble() > 0.9, layer.toString());
        assertTrue(layer.at("/divergence/shout/proxy_a_distance").asDouble() > 1.5);
        // The --ood file keeps its own labels: half harmful, half benign, all scored right.
        assertEquals(12, layer.at("/probe/ood/mixed/rows").asInt());
        assertEquals(1.0, layer.at("/probe/ood/mixed/accuracy").asDouble(), 1e-9);
        assertEquals(0.5, layer.at("/probe/ood/mixed/harmful_rate").asDouble(), 1e-9);
        assertTrue(out.toString().contains("wrote "), out.toString());
        assertTrue(out.toString().contains("shout"), out.toString());

        // Run again: every set is reused, nothing is extracted.
        int before = modelsBySpec.get("dir/rt").batches;
        StringWriter err2 = new StringWriter();
        assertEquals(0, run(new ProbeCommand(wiring), new StringWriter(), err2, args));
        assertEquals(before, modelsBySpec.get("dir/rt").batches);
        assertTrue(err2.toString().contains("already stored, reused"), err2.toString());
    }

    @Test
    void analysesStoredHiddenStatesIntoAnotherRunFolder() throws IOException {
        Path runDir = dir.resolve("run");
        assertEquals(0, run(new ProbeCommand(wiring), new StringWriter(), new StringWriter(), "--model", "dir/rt",
                "--id-harmful", "harmful.csv", "--id-benign", "benign.csv", "--attacks", "shout", "--out",
                runDir.toString()));
        Path again = dir.resolve("again");
        StringWriter err = new StringWriter();
        // The default wiring: nothing but the stored states is needed.
        assertEquals(0, run(new ProbeCommand(), new StringWriter(), err, "--from-hidden", runDir.toString(),
                "--pooling", "mean", "--layers", "1,2", "--pca-layer", "1", "--out", again.toString()), err.toString());
        JsonNode probe = new ObjectMapper().readTree(again.resolve("probe.json").toFile());
        assertEquals("[\"mean\"]", probe.at("/config/poolings").toString());
        assertEquals("[1,2]", probe.at("/models/rt/layers").toString());
        assertEquals(1, probe.at("/models/rt/pca_layer").asInt());
        assertTrue(probe.at("/models/rt/poolings/mean/1/probe/ood/shout").isObject());
    }

    @Test
    void missingDatasetIsAOneLineErrorNamingTheFlag() {
        StringWriter err = new StringWriter();
        int code = run(new ProbeCommand(), new StringWriter(), err, "--model", "m", "--id-harmful", "h.csv",
                "--id-benign", "b.csv", "--attacks", "caesar", "--out", dir.toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("--id-harmful: dataset h.csv: no such file"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), "one line, no stack trace");
    }

    @Test
    void badInputNamesTheFlag() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(new ProbeCommand(wiring), new StringWriter(), err, "--model", "dir/rt", "--out", dir.toString()));
        assertTrue(err.toString().contains("missing --id-harmful, --id-benign"), err.toString());

        err = new StringWriter();
        assertEquals(2, run(new ProbeCommand(wiring), new StringWriter(), err, "--model", "dir/rt", "--id-harmful",
                "harmful.csv", "--id-benign", "benign.csv", "--ood", "id_benign=x.csv", "--out", dir.toString()));
        assertTrue(err.toString().contains("reserved"), err.toString());

        err = new StringWriter();
        assertEquals(2, run(new ProbeCommand(wiring), new StringWriter(), err, "--model", "dir/rt", "--id-harmful",
                "harmful.csv", "--id-benign", "benign.csv", "--attacks", "echo", "--layers", "0,9", "--out",
                dir.toString()));
        assertTrue(err.toString().contains("--layers: layer 9 does not exist"), err.toString());

        err = new StringWriter();
        assertEquals(2, run(new ProbeCommand(), new StringWriter(), err, "--from-hidden", dir.resolve("nope").toString()));
        assertTrue(err.toString().contains("--from-hidden"), err.toString());
    }

    @Test
    void isRegisteredInMain() {
        assertEquals(0, Main.run("probe", "--help"));
    }
}
