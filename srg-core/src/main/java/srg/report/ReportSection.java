package srg.report;

import java.util.function.Consumer;

/**
 * One section of an HTML report: Best-of-N curves, a results table, representation plots from
 * {@code srg probe}, reasoning traces. Sections write through a {@link SectionWriter}, which escapes
 * text and inlines charts, so a section never builds HTML by hand.
 */
public interface ReportSection {

    /**
     * Where a section goes on the page. A study's report reads top to bottom as findings first,
     * then the evidence behind them, then how the run was made: the page orders its sections by
     * part, and keeps the order they were added in within a part.
     */
    enum Part {
        FINDINGS("Findings"),
        ATTACK_SUCCESS("Attack success against N"),
        CAPABILITY("Capability"),
        OVER_REFUSAL("Over-refusal"),
        REASONING("Reasoning"),
        REPRESENTATIONS("Knowledge and representations"),
        RUN("Errors and configuration");

        private final String heading;

        Part(String heading) {
            this.heading = heading;
        }

        /** The part's name in the page's table of contents. */
        public String heading() {
            return heading;
        }
    }

    /** The section's heading, also listed in the report's table of contents. */
    String title();

    /** Which part of the page the section belongs to. */
    Part part();

    /** Writes the section's body. */
    void render(SectionWriter out);

    /** A section from a title and a body. */
    static ReportSection of(Part part, String title, Consumer<SectionWriter> body) {
        return new ReportSection() {
            @Override
            public String title() {
                return title;
            }

            @Override
            public Part part() {
                return part;
            }

            @Override
            public void render(SectionWriter out) {
                body.accept(out);
            }
        };
    }
}
