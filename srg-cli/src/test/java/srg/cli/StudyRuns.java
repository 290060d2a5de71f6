package srg.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The two SafetyWorld study runs in test resources ({@code study-runs/seed-101}, {@code seed-102}; see their README). */
final class StudyRuns {

    static final String[] ALL_FILES = {"results.json", "probe.json", "safetyworld.json"};

    private StudyRuns() {}

    /** Copies {@code files} of run {@code name} into a new folder {@code dir/name}. */
    static Path copy(Path dir, String name, String... files) throws IOException {
        Path run = Files.createDirectories(dir.resolve(name));
        for (String file : files) {
            try (InputStream in = StudyRuns.class.getResourceAsStream("study-runs/" + name + "/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("no test resource study-runs/" + name + "/" + file);
                }
                Files.copy(in, run.resolve(file));
            }
        }
        return run;
    }
}
