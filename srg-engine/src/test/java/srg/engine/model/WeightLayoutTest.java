package srg.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import srg.engine.model.WeightLayout.Slot;
import srg.engine.model.WeightLayout.Tensor;

/** The weight table: every Hugging Face tensor has one place in the model, and fused parts tile their array. */
class WeightLayoutTest {

    private static ModelConfig config(String modelType, boolean biases) {
        ObjectNode c = ModelConfigTest.base(modelType).put("tie_word_embeddings", false);
        if (biases) {
            c.put("attention_bias", true).put("mlp_bias", true);
        }
        return ModelConfig.fromJson(c, "test config");
    }

    @Test
    void fusedProjectionsFollowEachOther() {
        ModelConfig c = config("qwen2", false);
        assertEquals(0, WeightLayout.firstRow(c, Projection.Q));
        assertEquals(c.qSize(), WeightLayout.firstRow(c, Projection.K));
        assertEquals(c.qSize() + c.kvSize(), WeightLayout.firstRow(c, Projection.V));
        assertEquals(0, WeightLayout.firstRow(c, Projection.O));
        assertEquals(0, WeightLayout.firstRow(c, Projection.GATE));
        assertEquals(c.intermediateSize(), WeightLayout.firstRow(c, Projection.UP));
        assertEquals(0, WeightLayout.firstRow(c, Projection.DOWN));
    }

    @Test
    void everyTensorHasOnePlaceAndPartsTileTheirArray() {
        for (ModelConfig c : List.of(config("qwen2", false), config("qwen3", false), config("llama", true))) {
            List<Tensor> layout = WeightLayout.of(c);
            Set<String> names = new HashSet<>();
            Map<Integer, Map<Slot, List<Tensor>>> bySlot = new java.util.TreeMap<>();
            for (Tensor t : layout) {
                assertTrue(names.add(t.name()), "one entry per name: " + t.name());
                assertEquals(t.slot().inLayer(), t.layer() >= 0, t.name());
                if (!t.slot().fused()) {
                    assertEquals(t.slot().tensorName(t.layer()), t.name(), "an array of its own is named as the tensor");
                }
                bySlot.computeIfAbsent(t.layer(), l -> new EnumMap<>(Slot.class)).computeIfAbsent(t.slot(), s -> new ArrayList<>()).add(t);
            }
            bySlot.forEach((layer, slots) -> slots.forEach((slot, parts) -> {
                assertEquals(slot.fused() ? slot.parts().size() : 1, parts.size(), slot + " of " + c.family());
                long row = 0;
                for (Tensor t : parts) {
                    assertEquals(row, t.firstRow(), t.name() + " starts where the part before it ends");
                    row += t.shape()[0];
                }
            }));
            // The layers hold every per-layer slot the config implies: q/k norms for Qwen3, biases where asked.
            Set<Slot> layer0 = bySlot.get(0).keySet();
            assertEquals(c.family().qkNorm(), layer0.contains(Slot.Q_NORM), c.family().toString());
            assertEquals(c.attentionBias(), layer0.contains(Slot.QKV_BIAS), c.family().toString());
            assertEquals(c.mlpBias(), layer0.contains(Slot.GATE_UP_BIAS), c.family().toString());
        }
    }
}
