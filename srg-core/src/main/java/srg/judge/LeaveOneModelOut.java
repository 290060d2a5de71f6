package srg.judge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import srg.SettingError;

/**
 * Measures a {@link RefusalClassifier} the way it is used, on a model it has not seen: each file
 * of one model's labelled completions is held out in turn, a classifier is trained on the other
 * files (and on the files every fold trains on, such as refusal-only sets), and judged on the held-out
 * file.
 */
public final class LeaveOneModelOut {

    /**
     * One fold.
     *
     * @param heldOut the file held out
     * @param trainingRows rows the fold's classifier was trained on
     * @param result the classifier on the held-out file
     * @param compared each judge compared with the classifier, on the same file
     */
    public record Fold(LabelFile heldOut, int trainingRows, JudgeValidation.Result result, List<JudgeValidation.Result> compared) {

        public Fold {
            compared = List.copyOf(compared);
        }
    }

    private LeaveOneModelOut() {}

    /**
     * Runs every fold.
     *
     * @param models one file per model, at least two (the setting {@code labels})
     * @param always files added to every fold's training set
     * @param by the column held-out results are broken down by, or null
     * @param compare specs of model-free judges to score on each held-out file too (the setting {@code compare})
     * @param warn what the compared judges have to say as they open
     */
    public static List<Fold> run(List<LabelFile> models, List<LabelFile> always, RefusalClassifier.Options options, String by,
            List<String> compare, Consumer<String> warn) {
        if (models.size() < 2) {
            throw SettingError.of("labels", "give at least two models' files");
        }
        List<Fold> folds = new ArrayList<>();
        for (LabelFile heldOut : models) {
            List<LabelFile> training = new ArrayList<>(always);
            models.stream().filter(m -> m != heldOut).forEach(training::add);
            RefusalClassifier classifier = train(training, options);
            int rows = training.stream().mapToInt(f -> f.rows().size()).sum();
            JudgeValidation.Result result = JudgeValidation.validate(new RefusalClassifierJudge(classifier, 0.5, null), heldOut.rows(), by,
                    256, n -> {});
            List<JudgeValidation.Result> compared = new ArrayList<>();
            for (String spec : compare) {
                try (Judge judge = Judges.open(JudgeSpec.parse(spec), model -> {
                    throw SettingError.naming("{compare} " + spec + ": only model-free judges (keyword, refusal-classifier)", "compare");
                }, warn)) {
                    compared.add(JudgeValidation.validate(judge, heldOut.rows(), null, 256, n -> {}));
                }
            }
            folds.add(new Fold(heldOut, rows, result, compared));
        }
        return folds;
    }

    /** Trains on the rows of several files, recording each file's name and hash. */
    public static RefusalClassifier train(List<LabelFile> files, RefusalClassifier.Options options) {
        List<LabelledResponse> rows = new ArrayList<>();
        Map<String, String> sources = new LinkedHashMap<>();
        for (LabelFile f : files) {
            rows.addAll(f.rows());
            sources.put(f.name(), f.sha256() + " (" + f.rows().size() + " rows)");
        }
        return RefusalClassifier.train(rows, options, sources);
    }
}
