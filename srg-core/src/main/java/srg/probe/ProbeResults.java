package srg.probe;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything {@code srg probe} measures, as written to {@code probe.json}: per model, per pooling,
 * per layer, the PCA picture, the linear probe's transfer, the refusal-direction alignment and
 * the domain divergence of each OOD set. The nested records are the file's schema.
 *
 * @param config how the figures were computed
 * @param models per model id
 */
public record ProbeResults(
        @JsonProperty("config") Config config,
        @JsonProperty("models") Map<String, ModelProbe> models) {

    public ProbeResults {
        models = new TreeMap<>(models);
    }

    /**
     * @param poolings the poolings analysed ({@code last_token}, {@code mean})
     * @param l2 L2 strength of the linear probe and of the domain classifier
     * @param idHeldOutFraction share of each ID set held out to score the probe in distribution
     * @param divergenceHeldOutFraction share of each set held out to score the domain classifier
     * @param seed seeds every split
     * @param pcaComponents components kept (their variance ratios are reported; the scatter uses 2)
     * @param meanShiftOrigin the set the OOD mean shift is measured from (always {@code id_benign})
     */
    public record Config(
            @JsonProperty("poolings") List<String> poolings,
            @JsonProperty("l2") double l2,
            @JsonProperty("id_held_out_fraction") double idHeldOutFraction,
            @JsonProperty("divergence_held_out_fraction") double divergenceHeldOutFraction,
            @JsonProperty("seed") long seed,
            @JsonProperty("pca_components") int pcaComponents,
            @JsonProperty("mean_shift_origin") String meanShiftOrigin) {

        public Config {
            poolings = List.copyOf(poolings);
        }
    }

    /**
     * @param hiddenSize width of the hidden states
     * @param layers the layers analysed
     * @param pcaLayer the layer the report's PCA scatter shows
     * @param sets every set analysed, by name
     * @param poolings per pooling key, per layer
     */
    public record ModelProbe(
            @JsonProperty("hidden_size") int hiddenSize,
            @JsonProperty("layers") List<Integer> layers,
            @JsonProperty("pca_layer") int pcaLayer,
            @JsonProperty("sets") Map<String, SetSummary> sets,
            @JsonProperty("poolings") Map<String, Map<Integer, LayerFigures>> poolings) {

        public ModelProbe {
            layers = List.copyOf(layers);
            sets = new TreeMap<>(sets);
            TreeMap<String, Map<Integer, LayerFigures>> sorted = new TreeMap<>();
            poolings.forEach((k, v) -> sorted.put(k, new TreeMap<>(v)));
            poolings = sorted;
        }

        /** Names of the OOD sets, sorted. */
        public List<String> oodSets() {
            return sets.entrySet().stream()
                    .filter(e -> e.getValue().role().equals("ood"))
                    .map(Map.Entry::getKey)
                    .toList();
        }
    }

    /**
     * @param role {@code id_harmful}, {@code id_benign} or {@code ood}
     * @param rows prompts in the set
     * @param harmfulRows prompts labelled harmful
     */
    public record SetSummary(
            @JsonProperty("role") String role,
            @JsonProperty("rows") int rows,
            @JsonProperty("harmful_rows") int harmfulRows) {}

    /** All figures of one layer under one pooling; OOD sets are keyed by name. */
    public record LayerFigures(
            @JsonProperty("pca") PcaFigure pca,
            @JsonProperty("probe") ProbeFigure probe,
            @JsonProperty("refusal_direction") RefusalFigure refusalDirection,
            @JsonProperty("divergence") Map<String, DivergenceFigure> divergence) {

        public LayerFigures {
            divergence = new TreeMap<>(divergence);
        }
    }

    /**
     * PCA fitted on ID harmful + ID benign; every set projected into it.
     *
     * @param explainedVarianceRatio share of the ID variance along each kept component
     * @param points per set, per row, its {@code [PC1, PC2]} coordinates; each axis is oriented so
     *     that the ID harmful mean lies on its positive side of the ID benign mean
     */
    public record PcaFigure(
            @JsonProperty("explained_variance_ratio") List<Double> explainedVarianceRatio,
            @JsonProperty("points") Map<String, float[][]> points) {

        public PcaFigure {
            explainedVarianceRatio = List.copyOf(explainedVarianceRatio);
            points = new TreeMap<>(points);
        }
    }

    /**
     * The linear probe trained on ID harmful (positive) vs ID benign.
     *
     * @param trainAccuracy accuracy of the probe fitted on all ID rows, on those rows
     * @param idHeldOutAccuracy accuracy on the held-out ID rows of a probe fitted on the rest
     * @param iterations Newton iterations of the probe fitted on all ID rows
     * @param converged whether it met its tolerance
     * @param ood per OOD set, how the probe fitted on all ID rows transfers
     */
    public record ProbeFigure(
            @JsonProperty("train_accuracy") double trainAccuracy,
            @JsonProperty("id_held_out_accuracy") double idHeldOutAccuracy,
            @JsonProperty("iterations") int iterations,
            @JsonProperty("converged") boolean converged,
            @JsonProperty("ood") Map<String, TransferFigure> ood) {

        public ProbeFigure {
            ood = new TreeMap<>(ood);
        }
    }

    /**
     * @param rows prompts scored
     * @param accuracy share whose prediction matches its own label
     * @param harmfulRate share predicted harmful; for an OOD harmful set, how much of the safety
     *     signal survives the shift
     * @param meanHarmfulProbability the probe's mean probability of "harmful"
     */
    public record TransferFigure(
            @JsonProperty("rows") int rows,
            @JsonProperty("accuracy") double accuracy,
            @JsonProperty("harmful_rate") double harmfulRate,
            @JsonProperty("mean_harmful_probability") double meanHarmfulProbability) {}

    /**
     * @param norm distance between the ID harmful and ID benign means
     * @param ood per OOD set, its mean shift against the direction (see {@link RefusalDirection})
     */
    public record RefusalFigure(
            @JsonProperty("norm") double norm,
            @JsonProperty("ood") Map<String, Alignment> ood) {

        public RefusalFigure {
            ood = new TreeMap<>(ood);
        }
    }

    /** See {@link RefusalDirection.Alignment}. */
    public record Alignment(
            @JsonProperty("cosine") double cosine,
            @JsonProperty("projection") double projection) {}

    /** ID harmful vs one OOD set; see {@link DomainDivergence}. */
    public record DivergenceFigure(
            @JsonProperty("proxy_a_distance") double proxyADistance,
            @JsonProperty("held_out_error") double heldOutError,
            @JsonProperty("mmd2_linear") double mmd2Linear,
            @JsonProperty("mmd2_linear_scaled") double mmd2LinearScaled) {}
}
