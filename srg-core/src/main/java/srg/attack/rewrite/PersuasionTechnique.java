package srg.attack.rewrite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One technique of the persuasion taxonomy used by PAP ({@code persuasion_taxonomy.yaml} beside
 * this class): its name, a definition, and an example that applies it to a benign goal.
 */
public record PersuasionTechnique(String name, String definition, String example) {

    /** The whole taxonomy, most effective techniques first (PAP's top-k takes a prefix). */
    public static List<PersuasionTechnique> taxonomy() {
        try (InputStream in = PersuasionTechnique.class.getResourceAsStream("persuasion_taxonomy.yaml")) {
            if (in == null) {
                throw new IllegalStateException("missing resource persuasion_taxonomy.yaml");
            }
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
            List<PersuasionTechnique> out = new ArrayList<>();
            for (JsonNode n : root) {
                out.add(new PersuasionTechnique(n.get("name").asText(), n.get("definition").asText(), n.get("example").asText()));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
