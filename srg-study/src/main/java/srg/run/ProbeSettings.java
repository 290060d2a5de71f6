package srg.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import srg.SettingError;
import srg.probe.LayerSelection;
import srg.probe.Pooling;

/**
 * What a representation analysis does, as srg probe's flags and a study's {@code probe} section
 * give it.
 *
 * @param idHarmful in-distribution harmful behaviors (a dataset spec; every row counts as harmful)
 * @param idBenign in-distribution benign behaviors
 * @param ood out-of-distribution sets by name (dataset specs; rows keep their own labels)
 * @param attacks static attacks that turn the ID harmful behaviors into one OOD set each
 * @param layers the layers to extract and analyse
 * @param poolings the pooled states to analyse (both are always stored)
 * @param pcaLayer the layer of the report's PCA scatter, or null for the middle one
 * @param l2 L2 strength of the probe and the domain classifier
 * @param seed seeds the held-out splits
 * @param batchSize prompts per forward pass when extracting
 */
public record ProbeSettings(String idHarmful, String idBenign, Map<String, String> ood, List<String> attacks,
        LayerSelection layers, List<Pooling> poolings, Integer pcaLayer, double l2, long seed, int batchSize) {

    public ProbeSettings {
        ood = Collections.unmodifiableMap(new LinkedHashMap<>(ood));
        attacks = List.copyOf(attacks);
        poolings = List.copyOf(poolings);
        if (!(l2 > 0) || Double.isInfinite(l2)) {
            throw SettingError.of("l2", "must be a positive number, got " + l2);
        }
        if (batchSize < 1) {
            throw SettingError.of("batch_size", "must be at least 1, got " + batchSize);
        }
        if (poolings.isEmpty()) {
            throw SettingError.of("pooling", "at least one pooling (last, mean or both)");
        }
        if (pcaLayer != null && !layers.all() && !layers.layers().contains(pcaLayer)) {
            throw SettingError.of("pca_layer", pcaLayer + " is not among the layers " + layers.layers());
        }
    }

    /** {@code last}, {@code mean} or {@code both}. */
    public static List<Pooling> poolings(String text) {
        return switch (text) {
            case "last" -> List.of(Pooling.LAST_TOKEN);
            case "mean" -> List.of(Pooling.MEAN);
            case "both" -> List.of(Pooling.LAST_TOKEN, Pooling.MEAN);
            default -> throw SettingError.of("pooling", "must be last, mean or both, got '" + text + "'");
        };
    }

    /** The same settings on other ID sets (a SafetyWorld study's come from its world). */
    public ProbeSettings withData(String newIdHarmful, String newIdBenign) {
        return new ProbeSettings(newIdHarmful, newIdBenign, ood, attacks, layers, poolings, pcaLayer, l2, seed, batchSize);
    }
}
