package srg.judge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;
import srg.SettingError;
import srg.UserError;
import srg.chat.Conversation;
import srg.data.Behavior;
import srg.io.Utf8File;

/**
 * Measures a judge against human refusal labels, such as XSTest's annotated completions. The
 * positive class is "refusal" (full or partial). A judge that reports refusals is scored on its
 * refusal flag; a harm judge (LlamaGuard, HarmBench) on "SAFE means refusal", which only makes
 * sense on harmful prompts (see {@link Subset}).
 */
public final class JudgeValidation {

    /** Which labelled rows to use, by whether the prompt is harmful (XSTest's contrast_ types are). */
    public enum Subset {
        ALL, HARMFUL, BENIGN;

        /** {@code all}, {@code harmful} or {@code benign} (the setting {@code subset}). */
        public static Subset parse(String text) {
            try {
                return valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw SettingError.of("subset", "expected all, harmful or benign, got '" + text + "'");
            }
        }

        /** The labels' name with this subset: {@code xstest.csv (harmful prompts)}, or the file alone for all rows. */
        public String describe(Path labels) {
            return labels + (this == ALL ? "" : " (" + name().toLowerCase(Locale.ROOT) + " prompts)");
        }
    }

    /**
     * A confusion matrix, refusal being the positive class.
     *
     * @param tp refusals the judge called refusals
     * @param fp compliances the judge called refusals
     * @param fn refusals the judge missed
     * @param tn compliances the judge called compliances
     */
    public record Counts(int tp, int fp, int fn, int tn) {

        static final Counts EMPTY = new Counts(0, 0, 0, 0);

        Counts add(boolean actual, boolean predicted) {
            return new Counts(tp + (actual && predicted ? 1 : 0), fp + (!actual && predicted ? 1 : 0),
                    fn + (actual && !predicted ? 1 : 0), tn + (!actual && !predicted ? 1 : 0));
        }

        public int total() {
            return tp + fp + fn + tn;
        }

        public double accuracy() {
            return ratio(tp + tn, total());
        }

        public double precision() {
            return ratio(tp, tp + fp);
        }

        public double recall() {
            return ratio(tp, tp + fn);
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        private static double ratio(int a, int b) {
            return b == 0 ? Double.NaN : (double) a / b;
        }
    }

    /**
     * A row the judge got wrong, for the report.
     *
     * @param row the labelled row
     * @param rationale what the judge said
     */
    public record Miss(LabelledResponse row, String rationale) {}

    /**
     * The outcome.
     *
     * @param judge the judge's id
     * @param rows rows judged
     * @param errors rows the judge could not decide (left out of every other count)
     * @param counts the confusion matrix over all decided rows
     * @param groups the confusion matrix per value of the {@code by} column, in first-seen order (empty without one)
     * @param by the column rows are grouped by, or null
     * @param misses the first rows the judge got wrong (at most {@link #MAX_MISSES} of each kind)
     * @param byRefusalFlag whether predictions came from the refusal flag (else from SAFE verdicts)
     */
    public record Result(String judge, int rows, int errors, Counts counts, Map<String, Counts> groups, String by, List<Miss> misses,
            boolean byRefusalFlag) {

        /** A plain-text summary with the confusion matrix and, with a {@code by} column, one line per group. */
        public String format() {
            StringBuilder sb = new StringBuilder();
            sb.append("judge      ").append(judge).append('\n');
            sb.append("rows       ").append(rows).append(" (").append(errors).append(" judge errors left out)\n");
            sb.append("positive   refusal (full or partial), predicted by ")
                    .append(byRefusalFlag ? "the refusal flag" : "SAFE verdicts (a harm judge: meaningful on harmful prompts only)")
                    .append('\n');
            sb.append(String.format(Locale.ROOT, "accuracy   %.4f%nprecision  %.4f%nrecall     %.4f%nf1         %.4f%n",
                    counts.accuracy(), counts.precision(), counts.recall(), counts.f1()));
            sb.append('\n');
            sb.append(String.format(Locale.ROOT, "%-22s %18s %18s%n", "", "judge: refusal", "judge: compliance"));
            sb.append(String.format(Locale.ROOT, "%-22s %18d %18d%n", "human: refusal", counts.tp(), counts.fn()));
            sb.append(String.format(Locale.ROOT, "%-22s %18d %18d%n", "human: compliance", counts.fp(), counts.tn()));
            if (by != null) {
                sb.append('\n');
                sb.append(String.format(Locale.ROOT, "%-26s %5s %9s %9s %9s %5s %5s %5s %5s%n",
                        "by " + by, "rows", "accuracy", "precision", "recall", "tp", "fp", "fn", "tn"));
                groups.forEach((g, c) -> sb.append(String.format(Locale.ROOT, "%-26s %5d %9.4f %9.4f %9.4f %5d %5d %5d %5d%n",
                        g, c.total(), c.accuracy(), c.precision(), c.recall(), c.tp(), c.fp(), c.fn(), c.tn())));
            }
            return sb.toString();
        }
    }

    /** How many misses of each kind (missed refusal, false refusal) a result keeps. */
    public static final int MAX_MISSES = 10;

    private JudgeValidation() {}

    /**
     * Judges every row in batches; {@code progress} receives the rows done after each batch.
     *
     * @param by the column the rows' groups come from (see {@link #readLabels}), or null for no breakdown
     */
    public static Result validate(Judge judge, List<LabelledResponse> rows, String by, int batchSize, LongConsumer progress) {
        if (batchSize < 1) {
            throw SettingError.of("batch", "must be at least 1, got " + batchSize);
        }
        boolean byFlag = judge.reportsRefusal();
        int errors = 0;
        Counts all = Counts.EMPTY;
        Map<String, Counts> groups = new LinkedHashMap<>();
        List<Miss> missedRefusals = new ArrayList<>();
        List<Miss> falseRefusals = new ArrayList<>();
        boolean grouped = by != null;
        for (int start = 0; start < rows.size(); start += batchSize) {
            List<LabelledResponse> batch = rows.subList(start, Math.min(rows.size(), start + batchSize));
            List<JudgeInput> inputs = batch.stream()
                    .map(r -> new JudgeInput(new Behavior(r.id(), r.prompt(), "", !Boolean.FALSE.equals(r.harmfulPrompt()), "labels", null),
                            Conversation.user(r.prompt()), r.response()))
                    .toList();
            List<Judgment> out = judge.judge(inputs);
            for (int i = 0; i < batch.size(); i++) {
                Judgment j = out.get(i);
                Boolean predicted = j.isError() ? null : byFlag ? j.refusal() : Boolean.valueOf(j.verdict() == Verdict.SAFE);
                if (predicted == null) {
                    errors++;
                    continue;
                }
                LabelledResponse row = batch.get(i);
                boolean actual = row.refusal();
                all = all.add(actual, predicted);
                if (grouped) {
                    groups.put(row.group(), groups.getOrDefault(row.group(), Counts.EMPTY).add(actual, predicted));
                }
                List<Miss> misses = actual && !predicted ? missedRefusals : !actual && predicted ? falseRefusals : null;
                if (misses != null && misses.size() < MAX_MISSES) {
                    misses.add(new Miss(row, j.rationale()));
                }
            }
            progress.accept(batch.size());
        }
        List<Miss> misses = new ArrayList<>(missedRefusals);
        misses.addAll(falseRefusals);
        return new Result(judge.id(), rows.size(), errors, all, groups, by, misses, byFlag);
    }

    /**
     * Reads labelled responses from a CSV: XSTest completions ({@code prompt, completion,
     * final_label} with 1_full_compliance / 2_full_refusal / 3_partial_refusal, and {@code type}),
     * HarmBench's adversarial-training refusals ({@code Behavior, Safe_Response}: every row a
     * refusal), or any CSV with {@code prompt}, {@code response} or {@code completion}, and
     * {@code label} (refusal/refused/yes/true/1 or compliance/complied/no/false/0). A {@code .txt}
     * file holds refusals only, one a line ({@code #} comments), like srg's RT refusals.
     *
     * @param by a column whose value becomes each row's {@link LabelledResponse#group()}, or null
     */
    public static List<LabelledResponse> readLabels(Path csv, Subset subset, String by) {
        if (!Files.isRegularFile(csv)) {
            throw new UserError("labels " + csv + ": no such file");
        }
        if (csv.getFileName().toString().endsWith(".txt")) {
            return refusalLines(csv, subset, by);
        }
        CsvMapper mapper = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY).build();
        List<LabelledResponse> out = new ArrayList<>();
        try (Reader reader = Utf8File.open(csv);
                MappingIterator<String[]> it = mapper.readerFor(String[].class).with(CsvSchema.emptySchema()).readValues(reader)) {
            if (!it.hasNextValue()) {
                throw new UserError(csv + ": empty file");
            }
            List<String> header = List.of(it.nextValue());
            boolean refusalsOnly = header.contains("Safe_Response") && header.contains("Behavior");
            int prompt = refusalsOnly ? header.indexOf("Behavior") : column(csv, header, "prompt");
            int response = refusalsOnly ? header.indexOf("Safe_Response")
                    : header.contains("completion") ? header.indexOf("completion") : column(csv, header, "response");
            int label = refusalsOnly ? -1 : header.contains("final_label") ? header.indexOf("final_label") : column(csv, header, "label");
            int id = header.indexOf("id");
            int type = header.indexOf("type");
            int group = -1;
            if (by != null) {
                group = header.indexOf(by);
                if (group < 0) {
                    throw SettingError.of("by", csv + ":1: no column '" + by + "' in the header " + header);
                }
            }
            while (it.hasNextValue()) {
                int line = it.getCurrentLocation().getLineNr();
                String[] row = it.nextValue();
                if (row.length == 1 && row[0].isBlank()) {
                    continue;
                }
                if (row.length < header.size()) {
                    throw new UserError(csv + ":" + line + ": " + row.length + " fields, the header has " + header.size());
                }
                Boolean refusal = refusalsOnly ? Boolean.TRUE : refusalLabel(row[label]);
                if (refusal == null) {
                    throw new UserError(csv + ":" + line + ", column " + (label + 1) + " '" + header.get(label) + "': label '"
                            + row[label] + "' is neither a refusal (2_full_refusal, 3_partial_refusal, refusal, yes, true, 1) "
                            + "nor a compliance (1_full_compliance, compliance, no, false, 0)");
                }
                Boolean harmful = type < 0 ? refusalsOnly ? Boolean.TRUE : null : Boolean.valueOf(row[type].startsWith("contrast_"));
                if (subset == Subset.HARMFUL && !Boolean.TRUE.equals(harmful) || subset == Subset.BENIGN && !Boolean.FALSE.equals(harmful)) {
                    if (harmful == null) {
                        throw SettingError.of("subset", csv + " has no XSTest 'type' column to tell harmful prompts from benign ones");
                    }
                    continue;
                }
                out.add(new LabelledResponse(id < 0 ? "row" + line : row[id], row[prompt], row[response], refusal, harmful,
                        group < 0 ? null : row[group]));
            }
        } catch (JsonProcessingException e) {
            throw new UserError(csv + ":" + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + ": malformed CSV: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UserError("labels " + csv + ": cannot read (" + e.getMessage() + ")");
        }
        if (out.isEmpty()) {
            throw new UserError(csv + ": no labelled rows" + (subset == Subset.ALL ? "" : " in subset " + subset.name().toLowerCase(Locale.ROOT)));
        }
        return out;
    }

    private static List<LabelledResponse> refusalLines(Path file, Subset subset, String by) {
        if (by != null || subset != Subset.ALL) {
            throw SettingError.of(by != null ? "by" : "subset", file + " is a list of refusals, without columns to group or select by");
        }
        List<LabelledResponse> out = new ArrayList<>();
        try {
            List<String> lines = Utf8File.lines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    out.add(new LabelledResponse("line" + (i + 1), "", line, true, null, null));
                }
            }
        } catch (IOException e) {
            throw new UserError("labels " + file + ": cannot read (" + e.getMessage() + ")");
        }
        if (out.isEmpty()) {
            throw new UserError(file + ": no refusals (one a line; # starts a comment)");
        }
        return out;
    }

    private static int column(Path csv, List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new UserError(csv + ":1: no column '" + name + "' in the header " + header
                    + " (expected XSTest completions, or prompt, response|completion, label)");
        }
        return i;
    }

    private static Boolean refusalLabel(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "2_full_refusal", "3_partial_refusal", "refusal", "refused", "yes", "true", "1" -> Boolean.TRUE;
            case "1_full_compliance", "compliance", "complied", "no", "false", "0" -> Boolean.FALSE;
            default -> null;
        };
    }
}
