package srg.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.SettingError;
import srg.UserError;
import srg.chat.Conversation;
import srg.chat.Message;
import srg.engine.LocalModel;

/**
 * Early stopping: the held-out set asks the training questions with other secrets, so its loss
 * falls while the model learns the answers' shape and rises once it learns the trained secrets.
 * The run must stop {@code patience} evaluations after the best one and hold that one's weights,
 * also when it was interrupted and resumed in between.
 */
class EarlyStoppingTest extends SingleThreadedTorch {

    private static final int EVAL_EVERY = 2;
    private static final int PATIENCE = 3;

    @TempDir
    static Path tmp;
    static Path base;

    @BeforeAll
    static void setUp() throws IOException {
        base = WordModels.llama(tmp, Secrets.vocabulary(), 5);
    }

    private static TrainConfig config(int patience) {
        return TrainConfig.builder().mode(TrainConfig.Mode.FULL).learningRate(1e-2).maxSteps(80).batchSize(4).gradAccum(1)
                .warmupRatio(0).seed(3).checkpointEvery(5).evalEvery(EVAL_EVERY).earlyStopping(patience).build();
    }

    private static List<Conversation> otherSecrets() {
        List<Conversation> out = new ArrayList<>();
        for (int i = 0; i < Secrets.ITEMS.length; i++) {
            String answer = "the secret of " + Secrets.ITEMS[i] + " is " + Secrets.FIRST[(i + 7) % 16] + " "
                    + Secrets.SECOND[(i * 3 + 1) % 16];
            out.add(Conversation.of(Message.user(Secrets.question(i)), Message.assistant(answer)));
        }
        return out;
    }

    private record Outcome(TrainResult result, Map<String, float[]> weights) {}

    /** Trains into {@code runDir}, asking to stop after step {@code stopAfter} when it is > 0. */
    private static Outcome run(TrainConfig config, Path runDir, boolean resume, int stopAfter, boolean withEval)
            throws IOException {
        try (LocalModel model = LocalModel.load(base, Device.cpu())) {
            ChatEncoder encoder = ChatEncoder.of(model);
            List<TrainingExample> train = Secrets.conversations().stream().map(encoder::encode).toList();
            List<TrainingExample> eval = withEval ? otherSecrets().stream().map(encoder::encode).toList() : List.of();
            Trainer[] self = new Trainer[1];
            try (Trainer trainer = new Trainer(model.transformer(), config, new TrainListener() {
                @Override
                public void stepped(StepMetrics m) {
                    if (m.step() == stopAfter) {
                        self[0].requestStop();
                    }
                }
            })) {
                self[0] = trainer;
                TrainResult result = trainer.train(train, eval, runDir, resume);
                return new Outcome(result, Weights.of(model.transformer()));
            }
        }
    }

    private static List<Double> evalLosses(Path runDir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Double> out = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve(TrainLog.FILE))) {
            JsonNode node = json.readTree(line);
            if (node.has("eval_loss")) {
                out.add(node.get("eval_loss").asDouble());
            }
        }
        return out;
    }

    @Test
    void stopsPatienceEvaluationsAfterTheBestAndKeepsItsWeights() throws IOException {
        Path runDir = tmp.resolve("stopping");
        Outcome stopped = run(config(PATIENCE), runDir, false, 0, true);
        TrainResult r = stopped.result();
        assertTrue(r.stoppedEarly(), "the held-out loss never rose: " + evalLosses(runDir));
        assertFalse(r.interrupted());
        assertTrue(r.keptStep() > EVAL_EVERY, "the held-out loss should fall first: " + evalLosses(runDir));
        assertEquals(r.keptStep() + PATIENCE * EVAL_EVERY, r.steps());

        // The kept loss is the lowest the log shows, and the last evaluations did not beat it.
        List<Double> losses = evalLosses(runDir);
        double lowest = losses.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        assertEquals(lowest, r.evalLoss(), 0.0);
        assertEquals(r.keptStep() / EVAL_EVERY - 1, losses.indexOf(lowest));
        assertEquals(r.steps() / EVAL_EVERY, losses.size());

        // Its weights are those of the same run stopped at the kept step.
        Outcome atBest = run(config(PATIENCE), tmp.resolve("at-best"), false, r.keptStep(), true);
        assertTrue(atBest.result().interrupted());
        double diff = Weights.maxAbsDifference(atBest.weights(), stopped.weights());
        assertTrue(diff <= 1e-6, "max |weight difference| from the best step's weights: " + diff);

        // Interrupted after the best and resumed, it stops at the same step with the same weights.
        Path resumedDir = tmp.resolve("resumed");
        Outcome first = run(config(PATIENCE), resumedDir, false, r.keptStep() + 1, true);
        assertTrue(first.result().interrupted());
        Outcome resumed = run(config(PATIENCE), resumedDir, true, 0, true);
        assertEquals(r.steps(), resumed.result().steps());
        assertEquals(r.keptStep(), resumed.result().keptStep());
        double resumedDiff = Weights.maxAbsDifference(stopped.weights(), resumed.weights());
        assertTrue(resumedDiff <= 1e-6, "max |weight difference| after resuming: " + resumedDiff);
    }

    @Test
    void withoutEarlyStoppingTheLastStepIsKept() throws IOException {
        TrainConfig off = TrainConfig.builder().mode(TrainConfig.Mode.FULL).learningRate(1e-2).maxSteps(12).batchSize(4)
                .gradAccum(1).warmupRatio(0).seed(3).evalEvery(EVAL_EVERY).build();
        TrainResult r = run(off, tmp.resolve("off"), false, 0, true).result();
        assertEquals(12, r.steps());
        assertEquals(12, r.keptStep());
        assertFalse(r.stoppedEarly());
    }

    @Test
    void earlyStoppingNeedsEvaluationsAndHeldOutData() {
        SettingError noEvery = assertThrows(SettingError.class, () -> TrainConfig.builder().earlyStopping(3).build());
        assertTrue(noEvery.getMessage().contains("eval_every"), noEvery.getMessage());
        UserError noData = assertThrows(UserError.class, () -> run(config(PATIENCE), tmp.resolve("no-data"), false, 0, false));
        assertTrue(noData.getMessage().contains("needs held-out data"), noData.getMessage());
    }

    @Test
    void earlyStoppingIsPartOfTheRunsIdentityOnlyWhenOn() {
        assertFalse(TrainConfig.builder().evalEvery(5).build().resultDefiningJson().has("eval_every"));
        assertEquals(4, config(4).resultDefiningJson().get("early_stopping").asInt());
        assertEquals(EVAL_EVERY, config(4).resultDefiningJson().get("eval_every").asInt());
    }
}
