package srg.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A generated SafetyWorld: its substances (split into those safety training may use and those
 * kept for evaluation), its second language, and the plain requests about them.
 */
public record World(WorldConfig config, List<Entity> trainEntities, List<Entity> evalEntities, Lexicon lexicon,
        Map<String, WorldRequest> requestsByText) {

    public World {
        trainEntities = List.copyOf(trainEntities);
        evalEntities = List.copyOf(evalEntities);
        requestsByText = Map.copyOf(requestsByText);
    }

    public List<Entity> entities() {
        List<Entity> all = new ArrayList<>(trainEntities);
        all.addAll(evalEntities);
        return all;
    }

    /** Every plain request about the given substances: each action, each phrasing. */
    public static List<WorldRequest> requests(List<Entity> entities) {
        List<WorldRequest> out = new ArrayList<>();
        for (Entity e : entities) {
            for (Action a : Action.values()) {
                for (int p = 0; p < a.phrasings().size(); p++) {
                    out.add(new WorldRequest(e, a, p));
                }
            }
        }
        return out;
    }

    /** The plain request with this exact text, if it is one of the world's. */
    public Optional<WorldRequest> parse(String text) {
        return Optional.ofNullable(requestsByText.get(text.trim()));
    }

    public Entity entity(String name) {
        return entities().stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no substance " + name));
    }
}
