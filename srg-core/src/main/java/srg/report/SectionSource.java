package srg.report;

import java.util.List;
import java.util.ServiceLoader;

/**
 * Contributes sections to the report of one or more run folders, from whatever files it finds
 * there: the eval harness reads {@code results.json}; {@code srg probe} or SRG reasoning traces
 * can add theirs. Sources are found with {@link ServiceLoader}: list the class in
 * {@code META-INF/services/srg.report.SectionSource}.
 */
public interface SectionSource {

    /** Within a {@link ReportSection.Part}, sections come in ascending order of this number (eval results use 100). */
    int order();

    /** The sections for these runs; empty when none of them holds this source's files. */
    List<ReportSection> sections(List<RunFolder> runs);

    /**
     * Sections that set run {@code a} beside run {@code b}: both values and the difference
     * (B − A), curves overlaid. Empty when the two runs do not both hold this source's files.
     */
    default List<ReportSection> compare(RunFolder a, RunFolder b) {
        return List.of();
    }
}
