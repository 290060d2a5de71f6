package srg.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import srg.chat.ThinkTags;
import srg.world.NameInTrace;
import srg.world.World;
import srg.world.WorldConfig;
import srg.world.WorldGenerator;
import srg.world.WorldRequest;
import srg.world.WorldTeacher;

/** SafetyWorld's teacher labels its reasoning steps with the default guideline names, in their order, in the same format. */
class WorldTeacherGuidelinesTest {

    @Test
    void worldTeacherStepsAreDefaultGuidelinesInOrderAndParse() {
        World world = WorldGenerator.generate(WorldConfig.standard(3));
        List<String> names = Guidelines.defaults().names();
        Set<String> used = new LinkedHashSet<>();
        for (WorldRequest r : World.requests(world.trainEntities())) {
            for (NameInTrace naming : NameInTrace.values()) {
                List<String> labels = new ArrayList<>();
                for (String line : WorldTeacher.reasoning(r, naming)) {
                    labels.add(line.substring(0, line.indexOf(" :")));
                }
                assertTrue(names.containsAll(labels), labels.toString());
                List<String> inOrder = names.stream().filter(labels::contains).toList();
                assertEquals(inOrder, labels, "steps in the set's order");
                used.addAll(labels);
                TeacherReply reply = TeacherReply.parse(WorldTeacher.reasonedAnswer(r, naming), ThinkTags.DEFAULT);
                assertTrue(reply.wellFormed(), String.valueOf(reply.problem()));
                assertEquals(WorldTeacher.answer(r), reply.answer());
            }
        }
        assertEquals(Set.copyOf(names), used, "every default guideline is followed");
    }
}
