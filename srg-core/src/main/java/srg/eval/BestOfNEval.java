package srg.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import srg.attack.Attack;
import srg.attack.AttackKind;
import srg.attack.PlainPrompt;
import srg.chat.ChatModel;
import srg.data.PromptRole;
import srg.eval.JudgingStage.Part;
import srg.judge.Judge;
import srg.store.RunStore;
import srg.store.RunStore.SampleState;

/**
 * The Best-of-N pipeline, in stages whose outputs live in the {@link RunStore}: attack the
 * behaviors ({@link PromptStage}), sample each attacked prompt N times ({@link SamplingStage}) and
 * judge every sample ({@link JudgingStage}), or in sequential mode sample and judge until the
 * first safe response ({@link SequentialStage}); then compute the metrics from the judged samples
 * ({@link BestOfNMetrics}). Every stage first reads what the store already holds and only does
 * what is missing, so a killed run resumes where it stopped.
 */
public final class BestOfNEval {

    private final EvalConfig config;
    private final RunStore store;
    private final EvalProgress progress;
    private final List<String> warnings = new ArrayList<>();

    public BestOfNEval(EvalConfig config, RunStore store, EvalProgress progress) {
        this.config = config;
        this.store = store;
        this.progress = progress;
    }

    /**
     * Runs every stage for every model. {@code judge} decides attack success; {@code refusalJudge}
     * (which must report refusals) decides over-refusal on the benign prompts.
     */
    public EvalResults run(List<ChatModel> models, Judge judge, Judge refusalJudge) {
        if (!config.benign().isEmpty() && !refusalJudge.reportsRefusal()) {
            throw new IllegalArgumentException("the refusal judge " + refusalJudge.id() + " does not report refusals");
        }
        if (config.latentRefusal() && !judge.reportsRefusal()) {
            throw new IllegalArgumentException("latentRefusal: the judge " + judge.id() + " does not report refusals");
        }
        StageContext ctx = new StageContext(config, store, progress, this::warn);
        PromptStage prompts = new PromptStage(ctx);
        SamplingStage sampling = new SamplingStage(ctx);
        JudgingStage judging = new JudgingStage(ctx);
        SequentialStage sequential = new SequentialStage(ctx, sampling, judging);
        BestOfNMetrics metrics = new BestOfNMetrics(config, this::warn);

        // Static and model-assisted prompts are the same for every model; an iterative attack
        // searches against each model, so its prompts are made (and stored) per model below.
        List<EvalPrompt> shared = new ArrayList<>();
        for (Attack attack : config.attacks()) {
            if (attack.kind() != AttackKind.ITERATIVE) {
                shared.addAll(prompts.harmful(attack, attack.name()));
            }
        }
        List<EvalPrompt> benign = prompts.benign(new PlainPrompt(config.seed()));
        Map<String, List<EvalPrompt>> benignForms = prompts.benignForms(benign);
        List<EvalPrompt> allBenign = benignForms.isEmpty() ? benign : benignForms.values().stream().flatMap(List::stream).toList();

        Map<String, EvalResults.ModelResults> out = new LinkedHashMap<>();
        for (ChatModel model : models) {
            List<EvalPrompt> harmful = new ArrayList<>(shared);
            for (Attack attack : config.attacks()) {
                if (attack.kind() == AttackKind.ITERATIVE) {
                    harmful.addAll(prompts.harmful(attack.against(model), PromptStage.storeName(attack, model)));
                }
            }
            if (config.mode() == SamplingMode.FULL) {
                sampling.sample(model, harmful, config.n(), "sample " + model.id());
                judging.judge(model, harmful, judge, config.n(), "judge " + model.id(), Part.ANSWER);
                if (config.reasoning() != ReasoningPolicy.OFF) {
                    judging.judge(model, harmful, judge, config.n(), "judge reasoning " + model.id(), Part.REASONING);
                }
            } else {
                sequential.run(model, harmful, judge);
                if (config.reasoning() == ReasoningPolicy.REPORT) {
                    judging.judge(model, harmful, judge, config.sampleLimit(), "judge reasoning " + model.id(), Part.REASONING);
                }
            }
            EvalResults.BenignResults benignResults = null;
            Map<String, CapabilityMetrics> capability = null;
            if (!benign.isEmpty()) {
                sampling.sample(model, allBenign, config.benignSamples(), "benign sample " + model.id());
                judging.judge(model, allBenign, refusalJudge, config.benignSamples(), "benign judge " + model.id(), Part.ANSWER);
                Map<String, List<SampleState>> benignStates = judging.states(model, refusalJudge, Part.ANSWER);
                benignResults = metrics.benign(model.id(), benign, benignStates, refusalJudge.id());
                if (!benignForms.isEmpty()) {
                    capability = metrics.capability(model.id(), benignForms, benignStates, refusalJudge.reportsHelpfulness());
                }
            }
            Map<String, Integer> attackFailures = new LinkedHashMap<>();
            for (Attack attack : config.attacks()) {
                attackFailures.put(attack.name(), prompts.failures(PromptRole.HARMFUL, PromptStage.storeName(attack, model)));
            }
            Map<String, EvalResults.AttackResults> attacks = metrics.attacks(model.id(), harmful, judging.judged(model, judge),
                    judge.reportsRefusal(), judge.reportsHelpfulness(), attackFailures);
            out.put(model.id(), new EvalResults.ModelResults(model.id(), attacks, benignResults, capability));
        }
        return new EvalResults(out, List.copyOf(warnings));
    }

    private void warn(String message) {
        warnings.add(message);
        progress.warn(message);
    }
}
