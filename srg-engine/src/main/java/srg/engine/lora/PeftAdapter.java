package srg.engine.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import srg.UserError;
import srg.engine.model.ModelConfig;
import srg.engine.model.Projection;
import srg.engine.model.Transformer;
import srg.engine.model.WeightLayout;
import srg.engine.safetensors.DType;
import srg.engine.safetensors.SafetensorsFile;
import srg.engine.safetensors.SafetensorsWriter;
import srg.engine.safetensors.TensorInfo;
import srg.engine.safetensors.TensorReader;
import srg.io.AtomicFiles;
import srg.io.Utf8File;

/**
 * A LoRA adapter folder in the PEFT layout, which transformers, PEFT and vLLM load:
 * {@code adapter_config.json} and {@code adapter_model.safetensors} with tensors named
 * {@code base_model.model.model.layers.N.self_attn.q_proj.lora_A.weight} (A: [r, in]) and
 * {@code ...lora_B.weight} (B: [out, r]).
 */
public final class PeftAdapter {

    public static final String CONFIG_FILE = "adapter_config.json";
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** PEFT tensor names; the adapter name (".default") is dropped when saving but tolerated here. */
    private static final Pattern TENSOR = Pattern.compile(
            "base_model\\.model\\.model\\.layers\\.(\\d+)\\.((?:self_attn|mlp)\\.[a-z_]+)\\.lora_([AB])(?:\\.[A-Za-z0-9_]+)?\\.weight");

    private PeftAdapter() {}

    public static String modulePrefix(int layer, Projection p) {
        return "base_model.model." + WeightLayout.layerPrefix(layer) + p.path();
    }

    /** Writes the adapter folder; {@code baseModel} is recorded as {@code base_model_name_or_path}. */
    public static void save(LoraAdapters adapters, Path dir, String baseModel) throws IOException {
        Files.createDirectories(dir);
        LoraConfig c = adapters.config();
        ObjectNode cfg = JSON.createObjectNode();
        cfg.put("peft_type", "LORA");
        cfg.put("task_type", "CAUSAL_LM");
        cfg.put("base_model_name_or_path", baseModel);
        cfg.put("r", c.rank());
        cfg.put("lora_alpha", c.alpha());
        cfg.put("lora_dropout", c.dropout());
        ArrayNode targets = cfg.putArray("target_modules");
        c.targetNames().forEach(targets::add);
        cfg.put("bias", "none");
        cfg.put("fan_in_fan_out", false);
        cfg.put("inference_mode", true);
        cfg.put("init_lora_weights", true);
        cfg.put("use_rslora", false);
        cfg.put("use_dora", false);
        cfg.putNull("modules_to_save");
        cfg.putNull("layers_to_transform");
        cfg.putNull("layers_pattern");
        cfg.putObject("rank_pattern");
        cfg.putObject("alpha_pattern");
        cfg.putNull("revision");
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        for (LoraAdapters.Module m : adapters.modules()) {
            entries.add(entry(m.peftPrefix() + ".lora_A.weight", m.a()));
            entries.add(entry(m.peftPrefix() + ".lora_B.weight", m.b()));
        }
        SafetensorsWriter.write(dir.resolve(WEIGHTS_FILE), entries, Map.of("format", "pt"));
        AtomicFiles.writeString(dir.resolve(CONFIG_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(cfg));
    }

    private static SafetensorsWriter.Entry entry(String name, NDArray array) {
        return new SafetensorsWriter.Entry(name, array.getShape().getShape(), DType.F32,
                () -> array.toByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer());
    }

    /**
     * Merges the adapter in {@code dir} into {@code model}'s weights, checking every tensor
     * against the model first; returns how many projections were changed.
     */
    public static int mergeInto(Transformer model, Path dir) throws IOException {
        Path configFile = dir.resolve(CONFIG_FILE);
        Path weightsFile = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(configFile) || !Files.isRegularFile(weightsFile)) {
            throw new UserError(dir + ": not a PEFT adapter folder (expected " + CONFIG_FILE + " and " + WEIGHTS_FILE + ")");
        }
        JsonNode cfg;
        try {
            cfg = JSON.readTree(Utf8File.open(configFile));
        } catch (IOException e) {
            throw new UserError(configFile + ": not valid JSON (" + e.getMessage() + ")");
        }
        Settings settings = Settings.of(cfg, configFile);
        ModelConfig mc = model.config();
        Map<String, TensorInfo[]> pairs = new LinkedHashMap<>();
        for (TensorInfo t : SafetensorsFile.open(weightsFile).tensors().values()) {
            Matcher m = TENSOR.matcher(t.name());
            if (!m.matches()) {
                throw new UserError(weightsFile + ": tensor " + t.name() + " is not a LoRA A/B matrix of a decoder"
                        + " projection (srg merges those only)");
            }
            TensorInfo[] pair = pairs.computeIfAbsent(m.group(1) + "." + m.group(2), k -> new TensorInfo[2]);
            pair[m.group(3).equals("A") ? 0 : 1] = t;
        }
        if (pairs.isEmpty()) {
            throw new UserError(weightsFile + ": no LoRA tensors");
        }
        for (String key : pairs.keySet()) {
            int layer = Integer.parseInt(key.substring(0, key.indexOf('.')));
            if (projection(key.substring(key.indexOf('.') + 1)) == null || layer >= mc.numLayers()) {
                throw new UserError(weightsFile + ": module model.layers." + key + " does not exist in a "
                        + mc.numLayers() + "-layer " + mc.family().modelType() + " model");
            }
        }
        TargetModules targets = TargetModules.of(cfg, configFile, mc);
        if (targets != null) {
            targets.checkAgainst(pairs.keySet(), configFile, weightsFile);
        }
        int merged = 0;
        try (NDManager scratch = model.manager().newSubManager()) {
            for (Map.Entry<String, TensorInfo[]> e : pairs.entrySet()) {
                String key = e.getKey();
                int layer = Integer.parseInt(key.substring(0, key.indexOf('.')));
                Projection p = projection(key.substring(key.indexOf('.') + 1));
                TensorInfo a = e.getValue()[0];
                TensorInfo b = e.getValue()[1];
                if (a == null || b == null) {
                    throw new UserError(weightsFile + ": model.layers." + key + " has lora_" + (a == null ? "B" : "A")
                            + " but no lora_" + (a == null ? "A" : "B"));
                }
                long rank = a.shape()[0];
                checkShape(weightsFile, a, rank, p.inFeatures(mc));
                checkShape(weightsFile, b, p.outFeatures(mc), rank);
                NDArray aArr = scratch.create(FloatBuffer.wrap(TensorReader.read(a)), new Shape(a.shape()));
                NDArray bArr = scratch.create(FloatBuffer.wrap(TensorReader.read(b)), new Shape(b.shape()));
                NDArray delta = bArr.matMul(aArr).mul(settings.scaling(WeightLayout.LAYERS + key, (int) rank));
                model.addToProjectionWeight(layer, p, delta);
                aArr.close();
                bArr.close();
                delta.close();
                merged++;
            }
        }
        return merged;
    }

    private static Projection projection(String path) {
        for (Projection p : Projection.values()) {
            if (p.path().equals(path)) {
                return p;
            }
        }
        return null;
    }

    private static void checkShape(Path file, TensorInfo t, long rows, long cols) {
        if (t.shape().length != 2 || t.shape()[0] != rows || t.shape()[1] != cols) {
            throw new UserError(file + ": tensor " + t.name() + " has shape " + t.shapeString() + ", expected ["
                    + rows + ", " + cols + "] for this base model");
        }
    }

    /** The adapter_config.json fields that decide how the tensors are applied. */
    private record Settings(double alpha, boolean rsLora, Map<String, Double> alphaPattern) {

        static Settings of(JsonNode cfg, Path file) {
            String type = cfg.path("peft_type").asText("LORA");
            if (!type.equals("LORA")) {
                throw new UserError(file + ": peft_type \"" + type + "\" is not supported (srg loads LORA adapters)");
            }
            if (cfg.path("use_dora").asBoolean(false)) {
                throw new UserError(file + ": use_dora is not supported (srg merges plain LoRA)");
            }
            if (cfg.path("fan_in_fan_out").asBoolean(false)) {
                throw new UserError(file + ": fan_in_fan_out adapters (GPT-2 style Conv1D) are not supported");
            }
            String bias = cfg.path("bias").asText("none");
            if (!bias.equals("none")) {
                throw new UserError(file + ": bias \"" + bias + "\" is not supported (srg merges adapters with bias none)");
            }
            JsonNode modulesToSave = cfg.get("modules_to_save");
            if (modulesToSave != null && modulesToSave.isArray() && !modulesToSave.isEmpty()) {
                throw new UserError(file + ": modules_to_save is not supported");
            }
            JsonNode alpha = cfg.get("lora_alpha");
            if (alpha == null || !alpha.isNumber()) {
                throw new UserError(file + ": missing numeric field \"lora_alpha\"");
            }
            Map<String, Double> pattern = new LinkedHashMap<>();
            cfg.path("alpha_pattern").fields().forEachRemaining(e -> pattern.put(e.getKey(), e.getValue().asDouble()));
            return new Settings(alpha.asDouble(), cfg.path("use_rslora").asBoolean(false), pattern);
        }

        /** alpha / r (or alpha / √r with rsLoRA); alpha_pattern keys match module names as in PEFT. */
        float scaling(String module, int rank) {
            double a = alpha;
            for (Map.Entry<String, Double> e : alphaPattern.entrySet()) {
                if (module.matches("(.*\\.)?(" + e.getKey() + ")$")) {
                    a = e.getValue();
                }
            }
            return (float) (rsLora ? a / Math.sqrt(rank) : a / rank);
        }
    }
}
