package srg.data;

import java.nio.file.Path;
import java.util.List;

/**
 * The behaviors read from one file.
 *
 * @param path the file
 * @param format the layout it was read as (detected or given)
 * @param behaviors the rows, in file order
 */
public record Dataset(Path path, DatasetFormat format, List<Behavior> behaviors) {

    public Dataset {
        behaviors = List.copyOf(behaviors);
    }

    public List<Behavior> harmful() {
        return behaviors.stream().filter(Behavior::harmful).toList();
    }

    public List<Behavior> benign() {
        return behaviors.stream().filter(b -> !b.harmful()).toList();
    }
}
