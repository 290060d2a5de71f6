package srg.attack;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import srg.chat.Conversation;
import srg.chat.Message;
import srg.data.Behavior;

/**
 * An attacked prompt under construction, as it passes through the layers of an attack. A plain
 * behavior starts as a bare request; a role-play layer wraps the request in a template, a cipher
 * layer encodes it and adds a system prompt, a few-shot layer adds demonstration turns.
 *
 * <p>The context of a contextual behavior (HarmBench) is kept apart from the request so that
 * rewriting attacks (past tense, persuasion) rewrite the request only; layers that disguise the
 * whole text (ciphers, templates) take {@link #text()} and fold the context in.
 *
 * @param behavior the behavior being attacked
 * @param system the system prompt, or null
 * @param turns demonstration turns before the final request (user/assistant pairs)
 * @param context the behavior's context, still separate from the request, or null
 * @param request the final user request
 * @param layers the parameters each layer recorded, in the order the layers ran
 */
public record PromptDraft(
        Behavior behavior, String system, List<Message> turns, String context, String request, List<Layer> layers) {

    /** The parameters one layer recorded (its fixed parameters and its per-prompt choices). */
    public record Layer(String name, Map<String, Object> params) {
        public Layer {
            params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }
    }

    public PromptDraft {
        Objects.requireNonNull(behavior, "behavior");
        Objects.requireNonNull(request, "request");
        turns = List.copyOf(turns);
        layers = List.copyOf(layers);
    }

    /** The behavior as a plain request, before any attack. */
    public static PromptDraft of(Behavior behavior) {
        return new PromptDraft(
                behavior, null, List.of(), behavior.hasContext() ? behavior.context() : null, behavior.text(), List.of());
    }

    /** The full user text: the context (if still separate) followed by the request. */
    public String text() {
        // Same layout as Behavior.prompt(), so "none" sends exactly the behavior's prompt.
        return context == null ? request : context + "\n\n---\n\n" + request;
    }

    /** Replaces the whole user text (context folded in). */
    public PromptDraft withText(String newText) {
        return new PromptDraft(behavior, system, turns, null, newText, layers);
    }

    /** Replaces the request and keeps the context apart. */
    public PromptDraft withRequest(String newRequest) {
        return new PromptDraft(behavior, system, turns, context, newRequest, layers);
    }

    public PromptDraft withSystem(String newSystem) {
        return new PromptDraft(behavior, newSystem, turns, context, request, layers);
    }

    public PromptDraft withTurns(List<Message> newTurns) {
        return new PromptDraft(behavior, system, newTurns, context, request, layers);
    }

    /** Starts a new layer that records these parameters. */
    public PromptDraft enter(String layerName, Map<String, Object> params) {
        List<Layer> out = new ArrayList<>(layers);
        out.add(new Layer(layerName, params));
        return new PromptDraft(behavior, system, turns, context, request, out);
    }

    /** Records a per-prompt choice (template name, technique, variant) in the current layer. */
    public PromptDraft note(String key, Object value) {
        if (layers.isEmpty()) {
            throw new IllegalStateException("note() outside a layer");
        }
        List<Layer> out = new ArrayList<>(layers);
        Layer last = out.remove(out.size() - 1);
        Map<String, Object> params = new LinkedHashMap<>(last.params());
        params.put(key, Objects.requireNonNull(value, key));
        out.add(new Layer(last.name(), params));
        return new PromptDraft(behavior, system, turns, context, request, out);
    }

    /** The messages to send: system prompt, demonstration turns, then the user text. */
    public Conversation conversation() {
        List<Message> messages = new ArrayList<>(turns.size() + 2);
        if (system != null && !system.isBlank()) {
            messages.add(Message.system(system));
        }
        messages.addAll(turns);
        messages.add(Message.user(text()));
        return new Conversation(messages);
    }

    /**
     * The finished prompt. Parameters of a single-layer attack are flat; those of a composite
     * are nested under each layer's name, so {@code roleplay+base64} records which template was
     * used without mixing it up with the cipher's settings.
     */
    public AttackedPrompt finish(String attackName, long seed) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("seed", seed);
        if (layers.size() == 1) {
            params.putAll(layers.get(0).params());
        } else {
            for (Layer layer : layers) {
                String key = layer.name();
                for (int i = 2; params.containsKey(key); i++) {
                    key = layer.name() + "#" + i;
                }
                params.put(key, layer.params());
            }
        }
        return new AttackedPrompt(behavior.id(), attackName, params, conversation());
    }
}
