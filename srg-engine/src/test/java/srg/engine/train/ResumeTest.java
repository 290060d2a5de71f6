package srg.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.UserError;
import srg.engine.LocalModel;
import srg.engine.lora.LoraAdapters;
import srg.engine.model.Precision;

/** A run stopped after 2 steps and resumed for 2 more ends where an uninterrupted 4-step run does. */
class ResumeTest extends SingleThreadedTorch {

    @TempDir
    static Path tmp;
    static Path base;

    @BeforeAll
    static void setUp() throws IOException {
        base = WordModels.llama(tmp, Secrets.vocabulary(), 11);
    }


    private static TrainConfig config(TrainConfig.Mode mode) {
        // 4 steps of 2 × 2 examples, warmup then cosine, weight decay and dropout in play.
        return TrainConfig.builder().mode(mode).learningRate(5e-3).maxSteps(4).batchSize(2).gradAccum(2)
                .warmupRatio(0.5).weightDecay(0.1).seed(21).build();
    }

    /** Trains (stopping after {@code stopAfter} steps when > 0) and returns the trained weights. */
    private static Map<String, float[]> run(TrainConfig config, Path runDir, boolean resume, int stopAfter,
            boolean viaHook) throws IOException {
        try (LocalModel model = LocalModel.load(base, Device.cpu())) {
            ChatEncoder encoder = ChatEncoder.of(model);
            List<TrainingExample> examples = Secrets.conversations().stream().map(encoder::encode).toList();
            Trainer[] self = new Trainer[1];
            try (Trainer trainer = new Trainer(model.transformer(), config, new TrainListener() {
                @Override
                public void stepped(StepMetrics m) {
                    if (m.step() == stopAfter) {
                        if (viaHook) {
                            try {
                                assertNotNull(self[0].stopAndCheckpoint()); // what the Ctrl-C hook calls
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        } else {
                            self[0].requestStop();
                        }
                    }
                }
            })) {
                self[0] = trainer;
                TrainResult result = trainer.train(examples, List.of(), runDir, resume);
                assertEquals(stopAfter > 0, result.interrupted());
                LoraAdapters adapters = trainer.adapters();
                if (adapters != null) {
                    adapters.mergeInto(model.transformer());
                }
                return Weights.of(model.transformer());
            }
        }
    }

    private static void checkResumeMatches(TrainConfig config, String label, boolean viaHook) throws IOException {
        Map<String, float[]> straight = run(config, tmp.resolve(label + "-straight"), false, 0, false);
        Path runDir = tmp.resolve(label + "-resumed-" + viaHook);
        run(config, runDir, false, 2, viaHook);
        assertTrue(Files.exists(runDir.resolve("checkpoints/step-0000002/optimizer.safetensors")));
        Map<String, float[]> resumed = run(config, runDir, true, 0, false);
        double diff = Weights.maxAbsDifference(straight, resumed);
        assertTrue(diff <= 1e-6, label + ": max |weight difference| " + diff);
        List<String> log = Files.readAllLines(runDir.resolve(TrainLog.FILE));
        assertEquals(4, log.size(), String.join("\n", log));
        for (int i = 0; i < 4; i++) {
            assertTrue(log.get(i).startsWith("{\"step\":" + (i + 1) + ","), log.get(i));
        }
    }

    @Test
    void fullFineTuningResumesExactly() throws IOException {
        checkResumeMatches(config(TrainConfig.Mode.FULL), "full", false);
    }

    @Test
    void anchorDecayResumesTowardsTheBaseNotTheCheckpoint() throws IOException {
        // A resumed run that anchored to the checkpoint's weights would end elsewhere.
        checkResumeMatches(config(TrainConfig.Mode.FULL).toBuilder().anchorDecay(20).build(), "anchored", false);
    }

    @Test
    void loraWithDropoutResumesExactlyFromACtrlCCheckpoint() throws IOException {
        checkResumeMatches(config(TrainConfig.Mode.LORA), "lora", true);
    }

    @Test
    void resumingWithOtherSettingsIsRefused() throws IOException {
        Path runDir = tmp.resolve("changed");
        run(config(TrainConfig.Mode.FULL), runDir, false, 2, false);
        TrainConfig other = TrainConfig.builder().mode(TrainConfig.Mode.FULL).learningRate(1e-3).maxSteps(4).batchSize(2)
                .gradAccum(2).warmupRatio(0.5).weightDecay(0.1).seed(21).build();
        UserError e = assertThrows(UserError.class, () -> run(other, runDir, true, 0, false));
        assertTrue(e.getMessage().contains("lr 0.005 -> 0.001"), e.getMessage());
        UserError fresh = assertThrows(UserError.class, () -> run(config(TrainConfig.Mode.FULL), runDir, false, 0, false));
        assertTrue(fresh.getMessage().contains("holds a run begun earlier: resume it"), fresh.getMessage());
    }

    @Test
    void resumingInAnotherComputeDtypeIsRefused() throws IOException {
        // compute_dtype is written only for BF16, so the F32 side of each pair has no such key.
        TrainConfig f32 = config(TrainConfig.Mode.FULL);
        TrainConfig bf16 = TrainConfig.builder().mode(TrainConfig.Mode.FULL).learningRate(5e-3).maxSteps(4).batchSize(2)
                .gradAccum(2).warmupRatio(0.5).weightDecay(0.1).seed(21).precision(Precision.BF16).build();
        Path begunInBf16 = tmp.resolve("begun-bf16");
        run(bf16, begunInBf16, false, 2, false);
        UserError e = assertThrows(UserError.class, () -> run(f32, begunInBf16, true, 0, false));
        assertTrue(e.getMessage().contains("compute_dtype bf16 -> (absent)"), e.getMessage());
        Path begunInF32 = tmp.resolve("begun-f32");
        run(f32, begunInF32, false, 2, false);
        UserError back = assertThrows(UserError.class, () -> run(bf16, begunInF32, true, 0, false));
        assertTrue(back.getMessage().contains("compute_dtype (absent) -> bf16"), back.getMessage());
        // What a resume that names no dtype continues in (srg train's default on a begun run).
        assertEquals(Precision.BF16, new TrainCheckpoint(begunInBf16).begunPrecision());
        assertEquals(Precision.F32, new TrainCheckpoint(begunInF32).begunPrecision());
    }

    @Test
    void divergenceStopsAndKeepsTheLastGoodCheckpoint() throws IOException {
        Path runDir = tmp.resolve("diverging");
        TrainConfig wild = TrainConfig.builder().mode(TrainConfig.Mode.FULL).learningRate(1e30).maxSteps(6).batchSize(4)
                .gradAccum(1).warmupRatio(0).maxGradNorm(0).checkpointEvery(1).seed(2).build();
        TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> run(wild, runDir, false, 0, false));
        assertTrue(e.getMessage().startsWith("training diverged: the "), e.getMessage());
        assertTrue(e.getMessage().contains("last good checkpoint"), e.getMessage());
        String latest = Files.readString(runDir.resolve("checkpoints/LATEST")).trim();
        assertTrue(Files.exists(runDir.resolve("checkpoints").resolve(latest).resolve("state.json")));
        assertFalse(latest.isEmpty());
    }

    @Test
    void theExitHookReturnsOnlyOnceTheStepLoopHasLeft() throws Exception {
        // Many steps, so that the hook arrives while the loop is computing one: a JVM that exits
        // then dies inside libtorch's backward pass.
        TrainConfig config = TrainConfig.builder().mode(TrainConfig.Mode.FULL).learningRate(1e-3).maxSteps(100_000)
                .batchSize(2).gradAccum(2).seed(3).build();
        try (LocalModel model = LocalModel.load(base, Device.cpu())) {
            ChatEncoder encoder = ChatEncoder.of(model);
            List<TrainingExample> examples = Secrets.conversations().stream().map(encoder::encode).toList();
            CountDownLatch stepped = new CountDownLatch(3);
            TrainResult[] result = new TrainResult[1];
            try (Trainer trainer = new Trainer(model.transformer(), config, new TrainListener() {
                @Override
                public void stepped(StepMetrics m) {
                    stepped.countDown();
                }
            })) {
                Thread training = new Thread(() -> {
                    try {
                        result[0] = trainer.train(examples, List.of(), tmp.resolve("hook-waits"), false);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                training.start();
                assertTrue(stepped.await(60, TimeUnit.SECONDS), "no steps");
                assertNotNull(trainer.stopAndCheckpoint()); // from another thread, as the JVM's exit hook
                assertFalse(trainer.inStepLoop(), "the hook returned while the loop was still running a step");
                training.join(60_000);
                assertTrue(result[0].interrupted());
            }
        }
    }
}
