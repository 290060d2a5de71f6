package srg.attack.rewrite;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import srg.attack.AttackException;
import srg.attack.AttackKind;
import srg.attack.ComposableAttack;
import srg.attack.PromptDraft;

/**
 * An attack whose prompts a helper model writes: past tense, persuasive paraphrase, translation.
 * All drafts of a batch go to the model in one call; a draft whose reply is malformed fails
 * alone and the rest of the batch goes on.
 */
abstract class RewritingAttack extends ComposableAttack {

    protected final Rewriter rewriter;

    RewritingAttack(String name, String reference, long seed, Map<String, Object> params, Rewriter rewriter) {
        super(name, AttackKind.MODEL_ASSISTED, reference, seed, params);
        this.rewriter = rewriter;
    }

    /** The rewriting requests for one draft. */
    protected abstract List<Rewriter.Job> jobs(PromptDraft draft);

    /** The draft made from sample {@code sample} of job {@code job}. */
    protected abstract PromptDraft rewritten(PromptDraft draft, int job, int sample, String text);

    @Override
    protected final List<PromptDraft> transform(PromptDraft draft) {
        Variants v = transformAll(List.of(draft)).get(0);
        if (v.failed()) {
            throw new AttackException(v.error());
        }
        return v.drafts();
    }

    @Override
    protected final List<Variants> transformAll(List<PromptDraft> drafts) {
        List<Rewriter.Job> all = new ArrayList<>();
        List<int[]> spans = new ArrayList<>(drafts.size()); // [first job, job count] per draft
        for (PromptDraft d : drafts) {
            List<Rewriter.Job> jobs = jobs(d);
            spans.add(new int[] {all.size(), jobs.size()});
            all.addAll(jobs);
        }
        List<Rewriter.Result> results = rewriter.run(all);
        List<Variants> out = new ArrayList<>(drafts.size());
        for (int d = 0; d < drafts.size(); d++) {
            int first = spans.get(d)[0];
            int count = spans.get(d)[1];
            String error = null;
            List<PromptDraft> variants = new ArrayList<>();
            for (int j = 0; j < count && error == null; j++) {
                Rewriter.Result r = results.get(first + j);
                if (r.failed()) {
                    error = name() + ": " + r.error();
                } else {
                    for (int s = 0; s < r.texts().size(); s++) {
                        variants.add(rewritten(drafts.get(d), j, s, r.texts().get(s)));
                    }
                }
            }
            out.add(error != null ? Variants.failed(error) : Variants.of(variants));
        }
        return out;
    }
}
