package srg.eval;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import srg.UserError;
import srg.attack.Attack;
import srg.attack.AttackKind;
import srg.attack.AttackOutcome;
import srg.attack.AttackedPrompt;
import srg.attack.PlainPrompt;
import srg.chat.ChatModel;
import srg.data.Behavior;
import srg.data.PromptRole;
import srg.store.RunStore;

/**
 * Stage 1 of Best-of-N: the attacked prompts. Each attack's prompts are read from the run store,
 * or made now and stored chunk by chunk, so that a model-assisted or iterative attack never runs
 * twice on a behavior with the same settings. A behavior the attack fails on is stored as a
 * failure, left out and counted.
 */
final class PromptStage {

    private final StageContext ctx;
    /** Behaviors an attack could not transform, by role and store name: an iterative attack fails per model. */
    private final Map<PromptRole, Map<String, Integer>> failures = new EnumMap<>(PromptRole.class);

    PromptStage(StageContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Where an attack's prompts are stored: under its name, or for an iterative attack, which
     * searches against each model, one set per model.
     */
    static String storeName(Attack attack, ChatModel model) {
        return attack.kind() == AttackKind.ITERATIVE ? attack.name() + RunStore.AIMED_AT + model.id() : attack.name();
    }

    /** The harmful behaviors as {@code attack} makes them, stored under {@code storeName}. */
    List<EvalPrompt> harmful(Attack attack, String storeName) {
        return prompts(PromptRole.HARMFUL, attack, ctx.config().harmful(), storeName);
    }

    /** The benign behaviors as {@code attack} makes them. */
    List<EvalPrompt> benign(Attack attack) {
        return prompts(PromptRole.BENIGN, attack, ctx.config().benign(), attack.name());
    }

    /** How many behaviors of {@code role} the attack stored under {@code storeName} could not transform. */
    int failures(PromptRole role, String storeName) {
        return failures.getOrDefault(role, Map.of()).getOrDefault(storeName, 0);
    }

    /**
     * With {@link EvalConfig#benignUnderAttacks()}: the benign prompts by form, plain first (under
     * {@link PlainPrompt#NAME}), then as each attack makes them; otherwise empty. Iterative attacks
     * search for a jailbreak against the model, which means nothing for a benign request.
     */
    Map<String, List<EvalPrompt>> benignForms(List<EvalPrompt> plain) {
        Map<String, List<EvalPrompt>> out = new LinkedHashMap<>();
        if (!ctx.config().benignUnderAttacks() || ctx.config().benign().isEmpty()) {
            return out;
        }
        out.put(PlainPrompt.NAME, plain);
        for (Attack attack : ctx.config().attacks()) {
            if (attack.kind() == AttackKind.ITERATIVE) {
                ctx.warn().accept("benign prompts are not put through " + attack.name() + ": an iterative attack searches for a jailbreak; "
                        + "no capability is measured in that form");
            } else if (!attack.name().equals(PlainPrompt.NAME)) {
                out.put(attack.name(), benign(attack));
            }
        }
        return out;
    }

    private static String behaviorKey(Behavior b) {
        return b.source() + "/" + b.id();
    }

    /**
     * The attacked prompts of one attack over the behaviors, from the store (under
     * {@code storeName}) or made now and stored.
     */
    private List<EvalPrompt> prompts(PromptRole role, Attack attack, List<Behavior> behaviors, String storeName) {
        String attackConfig = ctx.config().attackConfig();
        Set<String> keys = new HashSet<>();
        for (Behavior b : behaviors) {
            if (!keys.add(behaviorKey(b))) {
                throw new UserError("behavior '" + b.id() + "' of source '" + b.source() + "' appears twice in the " + role.wireName() + " data");
            }
        }
        Map<String, List<RunStore.StoredPrompt>> stored = new HashMap<>(ctx.store().prompts(role, storeName, attackConfig));
        Map<String, String> failed = new HashMap<>(ctx.store().attackFailures(role, storeName, attackConfig));
        List<Behavior> missing = new ArrayList<>();
        for (Behavior b : behaviors) {
            String key = behaviorKey(b);
            List<RunStore.StoredPrompt> s = stored.get(key);
            boolean current = s != null && s.stream().allMatch(p -> p.behavior().equals(b));
            if (!current && !failed.containsKey(key)) {
                missing.add(b);
            }
        }
        if (!missing.isEmpty()) {
            make(role, attack, missing, storeName, stored, failed);
        }
        List<EvalPrompt> out = new ArrayList<>();
        int failedCount = 0;
        for (Behavior b : behaviors) {
            String key = behaviorKey(b);
            if (failed.containsKey(key) && !stored.containsKey(key)) {
                failedCount++;
                continue;
            }
            for (RunStore.StoredPrompt p : stored.get(key)) {
                out.add(new EvalPrompt(role, attack, b, new AttackedPrompt(b.id(), attack.name(), p.params(), p.conversation())));
            }
        }
        if (failedCount > 0) {
            ctx.warn().accept("attack " + storeName + (role == PromptRole.BENIGN ? " (benign prompts)" : "") + ": " + failedCount + " of "
                    + behaviors.size() + " behaviors could not be attacked and are left out"
                    + " (exports show nothing for them; see the attack_failures table in run.db)");
        }
        failures.computeIfAbsent(role, r -> new HashMap<>()).merge(storeName, failedCount, Integer::sum);
        return out;
    }

    /** Runs the attack on the missing behaviors, storing (and adding to {@code stored} or {@code failed}) as it goes. */
    private void make(PromptRole role, Attack attack, List<Behavior> missing, String storeName,
            Map<String, List<RunStore.StoredPrompt>> stored, Map<String, String> failed) {
        String attackConfig = ctx.config().attackConfig();
        String stageName = "attack " + attack.name() + (role == PromptRole.BENIGN ? " (benign)" : "");
        try (EvalProgress.Stage stage = ctx.progress().stage(stageName, missing.size())) {
            // Stored chunk by chunk: an interrupted run keeps every finished chunk. A PAIR search
            // costs many target calls, so each is stored on its own.
            int chunk = switch (attack.kind()) {
                case STATIC -> 256;
                case MODEL_ASSISTED -> 64;
                case ITERATIVE -> 1;
            };
            for (int start = 0; start < missing.size(); start += chunk) {
                Map<String, List<RunStore.StoredPrompt>> made = new LinkedHashMap<>();
                Map<String, String> errors = new LinkedHashMap<>();
                List<Behavior> batch = missing.subList(start, Math.min(missing.size(), start + chunk));
                // applyAll lets a model-assisted attack send one batched request to its helper model.
                for (AttackOutcome outcome : attack.applyAll(batch)) {
                    String key = behaviorKey(outcome.behavior());
                    if (outcome.failed()) {
                        errors.put(key, outcome.error());
                    } else {
                        List<RunStore.StoredPrompt> list = new ArrayList<>();
                        for (int v = 0; v < outcome.prompts().size(); v++) {
                            AttackedPrompt a = outcome.prompts().get(v);
                            list.add(new RunStore.StoredPrompt(role, storeName, attackConfig, outcome.behavior(), v, a.params(), a.conversation()));
                        }
                        made.put(key, list);
                    }
                }
                stage.step(batch.size());
                ctx.store().putPrompts(role, storeName, attackConfig, made, errors);
                stored.putAll(made);
                failed.putAll(errors);
                errors.keySet().forEach(stored::remove);
                made.keySet().forEach(failed::remove);
            }
        }
    }
}
