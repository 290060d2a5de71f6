package srg.report;

import java.nio.file.Path;

/**
 * A run folder shown in a report.
 *
 * @param label how the report names the run (its folder name, made unique)
 * @param path the folder
 */
public record RunFolder(String label, Path path) {}
