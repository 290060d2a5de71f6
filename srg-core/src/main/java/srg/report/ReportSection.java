package srg.report;

/**
 * One section of an HTML report: Best-of-N curves, a results table, representation plots from
 * {@code srg probe}, reasoning traces. Sections write through a {@link SectionWriter}, which escapes
 * text and inlines charts, so a section never builds HTML by hand.
 */
public interface ReportSection {

    /** The section's heading, also listed in the report's table of contents. */
    String title();

    /** Writes the section's body. */
    void render(SectionWriter out);
}
