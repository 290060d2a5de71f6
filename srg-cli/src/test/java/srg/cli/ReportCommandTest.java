package srg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** srg report on a SafetyWorld study: the page's order, and srg report --compare's mistakes. */
class ReportCommandTest {

    @TempDir
    Path tmp;

    private Path study(String name, String... files) throws IOException {
        return StudyRuns.copy(tmp, name, files);
    }

    @Test
    void theStudysReportReadsFindingsFirstAndConfigurationLast() throws Exception {
        Path run = study("seed-101", StudyRuns.ALL_FILES);
        CliRun r = CliRun.of("report", run.toString());
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(run.resolve("report.html"));
        int last = -1;
        for (String heading : List.of("Findings: the study&#39;s expectations", "Attack success rate against N (Best-of-N)",
                "SafetyWorld: capability beside safety", "Over-refusal on benign prompts", "Representations: PCA of hidden states",
                "<h2>Configuration</h2>")) {
            int at = html.indexOf(heading, html.indexOf("</nav>"));
            assertTrue(at > last, heading + " comes after the heading before it");
            last = at;
        }
        int findings = html.indexOf("<section id=\"s1\">");
        assertTrue(html.indexOf("<table>", findings) < html.indexOf("<section id=\"s2\">"), "the findings table is in the first section");
        assertTrue(html.contains("<summary>Show the table (24 rows)</summary>"), "the 24 rows of ASR@1 and ASR@N fold");
    }

    @Test
    void compareNeedsTwoRunFolders() throws Exception {
        Path a = study("seed-101", "results.json", "safetyworld.json");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertUserError(CliRun.of("report", "--compare", a.toString()), "--compare takes two run folders (RUN_A RUN_B), got 1");
        assertUserError(CliRun.of("report", "--compare", a.toString(), empty.toString()),
                "run B " + empty + ": not a run folder: no results.json in it");
        assertUserError(CliRun.of("report", "--compare", tmp.resolve("nope").toString(), a.toString()), "run folder " + tmp.resolve("nope")
                + ": no such folder");
    }

    @Test
    void aStudyComparedWithAPlainEvalSaysWhatIsLeftOut() throws Exception {
        Path a = study("seed-101", "results.json", "safetyworld.json");
        Path b = study("seed-102", "results.json");
        Path out = tmp.resolve("c.html");
        CliRun r = CliRun.of("report", "--compare", a.toString(), b.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(out);
        assertTrue(html.contains("Only one of the two runs is a SafetyWorld study: " + b + " has no safetyworld.json"));
        assertTrue(html.contains("ASR@1 and ASR@N: A, B and B − A"));
        assertFalse(html.contains("Representations: A, B and B − A"), "no probe.json in either run");
    }

    private static void assertUserError(CliRun r, String message) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(message), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }
}
