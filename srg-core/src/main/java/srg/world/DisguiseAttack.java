package srg.world;

import java.util.List;
import java.util.Map;
import srg.attack.Attack;
import srg.attack.AttackException;
import srg.attack.AttackKind;
import srg.attack.AttackedPrompt;
import srg.chat.Conversation;
import srg.data.Behavior;

/**
 * A SafetyWorld disguise as an {@link Attack}, so {@code srg eval} and {@code srg probe} run it
 * like any other. It applies to the world's own plain requests; the template variant is chosen
 * per behavior from the seed.
 */
public final class DisguiseAttack implements Attack {

    private final World world;
    private final Disguise disguise;
    private final long seed;

    public DisguiseAttack(World world, Disguise disguise, long seed) {
        this.world = world;
        this.disguise = disguise;
        this.seed = seed;
    }

    /** The attack name, e.g. {@code sw-cipher}. */
    public static String nameOf(Disguise d) {
        return "sw-" + d.id();
    }

    public Disguise disguise() {
        return disguise;
    }

    @Override
    public String name() {
        return nameOf(disguise);
    }

    @Override
    public AttackKind kind() {
        return AttackKind.STATIC;
    }

    @Override
    public String reference() {
        return "SafetyWorld analogue of " + disguise.analogue();
    }

    @Override
    public Map<String, Object> params() {
        return Map.of("disguise", disguise.id(), "seed", seed, "world_seed", world.config().seed());
    }

    /** Deciphers or translates back a response answered in the disguise's mode. */
    @Override
    public String decode(AttackedPrompt prompt, String response) {
        return disguise.decode(response, world.lexicon());
    }

    /**
     * The template variant for a request: offset by a hash of the substance and the seed, then one
     * step per phrasing, so that the phrasings of one substance get distinct templates.
     */
    public static int variantFor(WorldRequest request, Disguise disguise, long seed) {
        int offset = Long.hashCode(seed * 31 + request.entity().name().hashCode());
        return Math.floorMod(offset + request.phrasing(), disguise.variants());
    }

    @Override
    public List<AttackedPrompt> apply(Behavior behavior) {
        WorldRequest request = world.parse(behavior.text()).orElseThrow(() -> new AttackException(
                "behavior " + behavior.id() + " is not a SafetyWorld request; " + name() + " only disguises the world's own"));
        int variant = variantFor(request, disguise, seed);
        String text = disguise.apply(request, variant, world.lexicon());
        return List.of(new AttackedPrompt(behavior.id(), name(), Map.of("disguise", disguise.id(), "variant", variant,
                "seed", seed), Conversation.user(text)));
    }
}
