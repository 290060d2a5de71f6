package srg.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Who ran a step, for the {@code config} it records: the command line as typed and srg's version.
 *
 * @param command the arguments of the command that ran it, as typed
 * @param version srg's version line
 */
public record Provenance(List<String> command, String version) {

    public Provenance {
        command = List.copyOf(command);
    }

    /** Writes {@code command}, {@code srg_version} and {@code started} (now) into {@code config}. */
    public void write(ObjectNode config) {
        ArrayNode c = config.putArray("command");
        command.forEach(c::add);
        config.put("srg_version", version);
        config.put("started", Instant.now().toString());
    }
}
