package srg.probe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;
import org.ejml.data.DMatrixRMaj;
import srg.SettingError;
import srg.UserError;
import srg.probe.ProbeResults.DivergenceFigure;
import srg.probe.ProbeResults.LayerFigures;
import srg.probe.ProbeResults.ModelProbe;
import srg.probe.ProbeResults.PcaFigure;
import srg.probe.ProbeResults.ProbeFigure;
import srg.probe.ProbeResults.RefusalFigure;
import srg.probe.ProbeResults.SetSummary;
import srg.probe.ProbeResults.TransferFigure;

/**
 * Runs every analysis of {@code srg probe} on one model's stored hidden states: for each pooling
 * and layer, PCA, the linear probe and its transfer, the refusal direction, and the domain
 * divergence of each OOD set from ID harmful.
 */
public final class ProbeAnalysis {

    /** Components whose variance ratios are reported. */
    public static final int PCA_COMPONENTS = 10;

    /** Share of each ID set held out to score the probe in distribution. */
    public static final double ID_HELD_OUT_FRACTION = 0.2;

    /**
     * @param poolings which poolings to analyse
     * @param layers which stored layers to analyse
     * @param pcaLayer the layer for the report's scatter, or null for the middle analysed layer
     * @param oodSets OOD set names to analyse, or null for every stored set that is not ID
     * @param l2 L2 strength of the probe and the domain classifier
     * @param idHeldOutFraction share of each ID set held out to score the probe in distribution
     * @param seed seeds every split
     */
    public record Options(
            List<Pooling> poolings,
            LayerSelection layers,
            Integer pcaLayer,
            List<String> oodSets,
            double l2,
            double idHeldOutFraction,
            long seed) {

        public Options {
            poolings = List.copyOf(poolings);
            if (poolings.isEmpty()) {
                throw new IllegalArgumentException("at least one pooling");
            }
            oodSets = oodSets == null ? null : List.copyOf(oodSets);
        }

        public static Options defaults() {
            return new Options(List.of(Pooling.values()), LayerSelection.ALL, null, null, LogisticProbe.DEFAULT_L2,
                    ID_HELD_OUT_FRACTION, 0);
        }

        /** The {@code config} block of probe.json for these options. */
        public ProbeResults.Config config() {
            return new ProbeResults.Config(poolings.stream().map(Pooling::key).toList(), l2, idHeldOutFraction,
                    DomainDivergence.HELD_OUT_FRACTION, seed, PCA_COMPONENTS, ProbeSet.ID_BENIGN);
        }
    }

    private ProbeAnalysis() {}

    /** Number of progress steps {@link #analyse} reports for a model: one per pooling and layer. */
    public static int steps(HiddenStateStore store, String model, Options options) {
        HiddenStates harmful = store.open(model, ProbeSet.ID_HARMFUL);
        return options.poolings().size()
                * options.layers().select(harmful.index().layers(), "model '" + model + "'").size();
    }

    /** Analyses one model; {@code stepDone} hears of each finished (pooling, layer). */
    public static ModelProbe analyse(HiddenStateStore store, String model, Options options, IntConsumer stepDone) {
        String where = "model '" + model + "'";
        Map<String, HiddenStates> sets = openSets(store, model, options, where);
        HiddenStates harmful = sets.get(ProbeSet.ID_HARMFUL);
        HiddenStates benign = sets.get(ProbeSet.ID_BENIGN);
        List<Integer> layers = options.layers().select(harmful.index().layers(), where + ", set id_harmful");
        for (HiddenStates s : sets.values()) {
            for (int l : layers) {
                if (s.layerPosition(l) < 0) {
                    throw new UserError(where + ", set '" + s.index().set() + "': layer " + l
                            + " was not extracted (stored layers: " + s.index().layers() + ")");
                }
            }
        }
        int pcaLayer = options.pcaLayer() != null ? options.pcaLayer() : layers.get(layers.size() / 2);
        if (!layers.contains(pcaLayer)) {
            throw SettingError.of("pca_layer", pcaLayer + " is not among the analysed layers of " + where + ": " + layers);
        }

        Map<String, SetSummary> summaries = new TreeMap<>();
        for (HiddenStates s : sets.values()) {
            int harmfulRows = (int) s.index().harmful().stream().filter(b -> b).count();
            summaries.put(s.index().set(), new SetSummary(ProbeSet.roleOf(s.index().set()).name().toLowerCase(),
                    s.rows(), harmfulRows));
        }

        Map<String, Map<Integer, LayerFigures>> byPooling = new LinkedHashMap<>();
        for (Pooling pooling : options.poolings()) {
            Map<Integer, LayerFigures> byLayer = new TreeMap<>();
            for (int layer : layers) {
                Map<String, DMatrixRMaj> ood = new TreeMap<>();
                Map<String, boolean[]> oodLabels = new TreeMap<>();
                for (HiddenStates s : sets.values()) {
                    if (ProbeSet.roleOf(s.index().set()) == ProbeSet.Role.OOD) {
                        ood.put(s.index().set(), s.matrix(layer, pooling));
                        oodLabels.put(s.index().set(), labels(s));
                    }
                }
                byLayer.put(layer, layer(harmful.matrix(layer, pooling), benign.matrix(layer, pooling), ood,
                        oodLabels, options));
                stepDone.accept(1);
            }
            byPooling.put(pooling.key(), byLayer);
        }
        return new ModelProbe(harmful.hiddenSize(), layers, pcaLayer, summaries, byPooling);
    }

    private static Map<String, HiddenStates> openSets(HiddenStateStore store, String model, Options options, String where) {
        List<String> stored = store.sets(model);
        if (stored.isEmpty()) {
            throw new UserError("no hidden states stored for " + where + " in " + store.root()
                    + (store.models().isEmpty() ? "" : " (stored models: " + store.models() + ")"));
        }
        for (String required : List.of(ProbeSet.ID_HARMFUL, ProbeSet.ID_BENIGN)) {
            if (!stored.contains(required)) {
                throw new UserError(where + ": set '" + required + "' is not stored in " + store.root()
                        + " (stored: " + stored + ")");
            }
        }
        List<String> ood = new ArrayList<>();
        if (options.oodSets() == null) {
            stored.stream().filter(s -> ProbeSet.roleOf(s) == ProbeSet.Role.OOD).forEach(ood::add);
        } else {
            for (String s : options.oodSets()) {
                if (!stored.contains(s)) {
                    throw new UserError(where + ": OOD set '" + s + "' is not stored (stored: " + stored + ")");
                }
                ood.add(s);
            }
        }
        Map<String, HiddenStates> out = new LinkedHashMap<>();
        for (String name : concat(List.of(ProbeSet.ID_HARMFUL, ProbeSet.ID_BENIGN), ood)) {
            HiddenStates s = store.open(model, name);
            if (s.rows() < 2) {
                throw new UserError(where + ", set '" + name + "': needs at least 2 prompts, has " + s.rows());
            }
            out.put(name, s);
        }
        int hidden = out.get(ProbeSet.ID_HARMFUL).hiddenSize();
        for (HiddenStates s : out.values()) {
            if (s.hiddenSize() != hidden) {
                throw new UserError(where + ", set '" + s.index().set() + "': hidden size " + s.hiddenSize()
                        + " differs from id_harmful's " + hidden);
            }
        }
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static boolean[] labels(HiddenStates s) {
        List<Boolean> list = s.index().harmful();
        boolean[] out = new boolean[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    /** All figures of one layer. ID labels come from the set roles: harmful = true. */
    static LayerFigures layer(DMatrixRMaj harmful, DMatrixRMaj benign, Map<String, DMatrixRMaj> ood,
            Map<String, boolean[]> oodLabels, Options options) {
        DMatrixRMaj id = Samples.stack(benign, harmful);
        boolean[] idLabels = Samples.stackLabels(benign.numRows, harmful.numRows);

        // PCA on ID harmful + ID benign; every set projected into it.
        Pca pca = Pca.fit(id, PCA_COMPONENTS);
        Map<String, DMatrixRMaj> projected = new LinkedHashMap<>();
        projected.put(ProbeSet.ID_HARMFUL, pca.project(harmful));
        projected.put(ProbeSet.ID_BENIGN, pca.project(benign));
        ood.forEach((name, x) -> projected.put(name, pca.project(x)));
        Map<String, float[][]> points = scatter(projected);
        List<Double> ratios = new ArrayList<>();
        for (double r : pca.explainedVarianceRatio()) {
            ratios.add(r);
        }

        // Linear probe: fit on all ID for transfer; a held-out split scores it in distribution.
        LogisticProbe probe = LogisticProbe.fit(id, idLabels, options.l2());
        StratifiedSplit split = StratifiedSplit.of(idLabels, options.idHeldOutFraction(), options.seed());
        LogisticProbe heldOutProbe = LogisticProbe.fit(Samples.rows(id, split.train()),
                StratifiedSplit.pick(idLabels, split.train()), options.l2());
        double heldOut = heldOutProbe.accuracy(Samples.rows(id, split.test()), StratifiedSplit.pick(idLabels, split.test()));
        Map<String, TransferFigure> transfer = new TreeMap<>();
        ood.forEach((name, x) -> {
            double[] p = probe.probabilities(x);
            double mean = 0;
            for (double v : p) {
                mean += v;
            }
            transfer.put(name, new TransferFigure(x.numRows, probe.accuracy(x, oodLabels.get(name)),
                    probe.positiveRate(x), mean / p.length));
        });
        ProbeFigure probeFigure = new ProbeFigure(probe.accuracy(id, idLabels), heldOut, probe.iterations(),
                probe.converged(), transfer);

        // Refusal direction and each OOD set's mean shift against it.
        RefusalDirection direction = RefusalDirection.fit(harmful, benign);
        Map<String, ProbeResults.Alignment> alignments = new TreeMap<>();
        ood.forEach((name, x) -> {
            RefusalDirection.Alignment a = direction.alignment(x);
            alignments.put(name, new ProbeResults.Alignment(a.cosine(), a.projection()));
        });

        // Domain divergence of each OOD set from ID harmful.
        Map<String, DivergenceFigure> divergence = new TreeMap<>();
        ood.forEach((name, x) -> {
            DomainDivergence.ProxyADistance pad = DomainDivergence.proxyADistance(harmful, x, options.l2(), options.seed());
            DomainDivergence.LinearMmd mmd = DomainDivergence.linearMmd(harmful, x);
            divergence.put(name, new DivergenceFigure(pad.proxyADistance(), pad.heldOutError(), mmd.mmd2(), mmd.mmd2Scaled()));
        });

        return new LayerFigures(new PcaFigure(ratios, points), probeFigure,
                new RefusalFigure(direction.norm(), alignments), divergence);
    }

    /**
     * The first two coordinates of every set, each axis flipped if needed so that ID harmful lies
     * on the positive side of ID benign: models and layers then read the same way in plots.
     */
    private static Map<String, float[][]> scatter(Map<String, DMatrixRMaj> projected) {
        DMatrixRMaj h = projected.get(ProbeSet.ID_HARMFUL);
        DMatrixRMaj b = projected.get(ProbeSet.ID_BENIGN);
        double[] sign = new double[2];
        for (int c = 0; c < 2; c++) {
            sign[c] = c < h.numCols && columnMean(h, c) < columnMean(b, c) ? -1 : 1;
        }
        Map<String, float[][]> out = new TreeMap<>();
        projected.forEach((name, m) -> {
            float[][] pts = new float[m.numRows][2];
            for (int i = 0; i < m.numRows; i++) {
                for (int c = 0; c < 2 && c < m.numCols; c++) {
                    pts[i][c] = (float) (sign[c] * m.get(i, c));
                }
            }
            out.put(name, pts);
        });
        return out;
    }

    private static double columnMean(DMatrixRMaj m, int c) {
        double s = 0;
        for (int i = 0; i < m.numRows; i++) {
            s += m.get(i, c);
        }
        return s / m.numRows;
    }
}
