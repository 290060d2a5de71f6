package srg.probe;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import srg.UserError;

/**
 * The JSON index beside one stored set of hidden states ({@code <set>.json} next to
 * {@code <set>.f32}): what the binary file holds and which prompts its rows are.
 *
 * <p>The binary file is little-endian float32, row-major {@code [rows][layers][2][hiddenSize]},
 * where the pooling axis is {@code 0 = last_token, 1 = mean}. The index is written after the data
 * file, so a set is stored if and only if its index exists.
 *
 * @param format always {@value #FORMAT}
 * @param version format version, {@value #VERSION}
 * @param model the model's id
 * @param set the set name ({@link ProbeSet})
 * @param rows prompts in the set
 * @param layers the layer indices stored, in file order
 * @param hiddenSize width of each vector
 * @param dtype always {@code float32}
 * @param byteOrder always {@code little_endian}
 * @param poolings the pooling axis, in file order
 * @param behaviorIds per row, the behavior it came from
 * @param harmful per row, its label
 * @param conversationSha256 per row, {@link srg.chat.Conversation#sha256()} of its prompt; lets a
 *     resumed run tell whether stored states still match its prompts
 * @param numerics the model's matmul format when it computed them ({@link HiddenStateSource#numerics}):
 *     f32, bf16, or null for a source that does not say; absent in sets stored before the field
 *     existed, which were computed in F32
 */
public record HiddenStateIndex(
        @JsonProperty("format") String format,
        @JsonProperty("version") int version,
        @JsonProperty("model") String model,
        @JsonProperty("set") String set,
        @JsonProperty("rows") int rows,
        @JsonProperty("layers") List<Integer> layers,
        @JsonProperty("hidden_size") int hiddenSize,
        @JsonProperty("dtype") String dtype,
        @JsonProperty("byte_order") String byteOrder,
        @JsonProperty("poolings") List<String> poolings,
        @JsonProperty("behavior_ids") List<String> behaviorIds,
        @JsonProperty("harmful") List<Boolean> harmful,
        @JsonProperty("conversation_sha256") List<String> conversationSha256,
        @JsonProperty("numerics") @JsonInclude(JsonInclude.Include.NON_NULL) String numerics) {

    public static final String FORMAT = "srg.hidden-states";
    public static final int VERSION = 1;
    static final List<String> POOLINGS = List.of(Pooling.LAST_TOKEN.key(), Pooling.MEAN.key());

    public HiddenStateIndex {
        layers = List.copyOf(Objects.requireNonNull(layers, "layers"));
        poolings = List.copyOf(Objects.requireNonNull(poolings, "poolings"));
        behaviorIds = List.copyOf(Objects.requireNonNull(behaviorIds, "behavior_ids"));
        harmful = List.copyOf(Objects.requireNonNull(harmful, "harmful"));
        conversationSha256 = List.copyOf(Objects.requireNonNull(conversationSha256, "conversation_sha256"));
    }

    /** The index for {@code set} extracted from {@code model} at {@code layers}, computed in {@code numerics}. */
    public static HiddenStateIndex of(String model, ProbeSet set, int[] layers, int hiddenSize, String numerics) {
        List<String> ids = new ArrayList<>();
        List<Boolean> labels = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (ProbePrompt p : set.prompts()) {
            ids.add(p.behaviorId());
            labels.add(p.harmful());
            hashes.add(p.conversation().sha256());
        }
        List<Integer> layerList = new ArrayList<>();
        for (int l : layers) {
            layerList.add(l);
        }
        return new HiddenStateIndex(FORMAT, VERSION, model, set.name(), ids.size(), layerList, hiddenSize,
                "float32", "little_endian", POOLINGS, ids, labels, hashes, numerics);
    }

    /** Bytes one row takes in the data file. */
    long rowBytes() {
        return (long) layers.size() * POOLINGS.size() * hiddenSize * Float.BYTES;
    }

    /** Bytes the data file must have. */
    long dataBytes() {
        return rows * rowBytes();
    }

    /** Throws a {@link UserError} naming {@code file} unless this index describes a file we can read. */
    void check(String file) {
        String problem = null;
        if (!FORMAT.equals(format)) {
            problem = "format is '" + format + "', expected '" + FORMAT + "'";
        } else if (version != VERSION) {
            problem = "version " + version + " is not supported (expected " + VERSION + ")";
        } else if (!"float32".equals(dtype) || !"little_endian".equals(byteOrder)) {
            problem = "only float32 little_endian data is supported, found " + dtype + " " + byteOrder;
        } else if (!POOLINGS.equals(poolings)) {
            problem = "poolings must be " + POOLINGS + ", found " + poolings;
        } else if (model == null || set == null) {
            problem = "model and set are required";
        } else if (rows < 0 || hiddenSize < 1 || layers.isEmpty()) {
            problem = "needs rows >= 0, hidden_size >= 1 and at least one layer";
        } else if (behaviorIds.size() != rows || harmful.size() != rows || conversationSha256.size() != rows) {
            problem = "behavior_ids, harmful and conversation_sha256 must each have 'rows' (" + rows + ") entries";
        }
        if (problem != null) {
            throw new UserError(file + ": " + problem);
        }
    }

    /** Whether these stored states were extracted for exactly {@code wanted}'s prompts and layers, in its numerics. */
    boolean sameContent(HiddenStateIndex wanted) {
        return model.equals(wanted.model) && set.equals(wanted.set) && layers.equals(wanted.layers)
                && hiddenSize == wanted.hiddenSize && behaviorIds.equals(wanted.behaviorIds)
                && harmful.equals(wanted.harmful) && conversationSha256.equals(wanted.conversationSha256)
                && (wanted.numerics == null || wanted.numerics.equals(numerics == null ? LEGACY_NUMERICS : numerics));
    }

    /** What sets stored before the numerics field existed were computed in. */
    private static final String LEGACY_NUMERICS = "f32";
}
