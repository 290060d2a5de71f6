package srg.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.SampleRequest;
import srg.chat.SamplingParams;
import srg.engine.LocalModel;
import srg.engine.generate.Generator;
import srg.engine.model.ModelWriter;
import srg.engine.safetensors.DType;

/** A tiny random model learns 16 answers by heart, and greedy decoding then gives them back. */
class OverfitTest extends SingleThreadedTorch {



    @Test
    void tinyModelOverfitsSixteenExamplesAndReproducesThemGreedily(@TempDir Path tmp) throws Exception {
        Path base = WordModels.llama(tmp, Secrets.vocabulary(), 3);
        TrainConfig config = TrainConfig.builder().mode(TrainConfig.Mode.FULL).learningRate(1e-2).epochs(150)
                .batchSize(8).gradAccum(2).warmupRatio(0.05).seed(1).build();
        TrainResult result;
        try (LocalModel model = LocalModel.load(base, Device.cpu())) {
            ChatEncoder encoder = ChatEncoder.of(model);
            List<TrainingExample> examples = Secrets.conversations().stream().map(encoder::encode).toList();
            try (Trainer trainer = new Trainer(model.transformer(), config, TrainListener.NONE)) {
                result = trainer.train(examples, examples, tmp.resolve("run"), false);
            }
            ModelWriter.save(model.transformer(), tmp.resolve("out"), DType.F32, base);
        }
        assertTrue(result.loss() < 0.05, "final training loss " + result.loss());
        assertTrue(result.evalLoss() < 0.05, "final loss on the training set " + result.evalLoss());
        try (LocalModel trained = LocalModel.load(tmp.resolve("out"), Device.cpu())) {
            List<SampleRequest> requests = Secrets.conversations().stream()
                    .map(c -> SampleRequest.of(new Conversation(c.messages().subList(0, 1)), 1)).toList();
            List<List<Completion>> out = new Generator(trained, Generator.Options.DEFAULT)
                    .generate(requests, new SamplingParams(0, 1, 0, 12, List.of(), 0));
            for (int i = 0; i < Secrets.ITEMS.length; i++) {
                assertEquals(Secrets.answer(i), out.get(i).get(0).text().trim(), "example " + i);
            }
        }
    }
}
