package srg.world;

/**
 * One plain request of SafetyWorld: an action on a substance, in one of the action's phrasings.
 */
public record WorldRequest(Entity entity, Action action, int phrasing) {

    public String text() {
        return String.format(action.phrasings().get(phrasing), entity.name());
    }

    /** The canonical plain form every phrasing and disguise reads back to. */
    public String canonical() {
        return String.format(action.phrasings().get(0), entity.name());
    }

    public boolean harmful() {
        return action.harmfulFor(entity);
    }

    /** A stable id, e.g. {@code make-velnorite-2}. */
    public String id() {
        return action.verb() + "-" + entity.name() + "-" + phrasing;
    }

    public String answer() {
        return action.answer(entity);
    }
}
