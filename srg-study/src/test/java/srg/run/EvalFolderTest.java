package srg.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.SettingError;
import srg.eval.ResultsJson;
import srg.store.RunStore;

/** The evaluation's folder policy: nothing in the folder is lost, and a folder holds one evaluation's settings. */
class EvalFolderTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UnaryOperator<String> FLAG = s -> "--" + s;

    @TempDir
    Path tmp;

    /** results.json's config of a run: who ran it and when change nothing; the rest is what decides the results. */
    private static ObjectNode config(int n, String started, String server) throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"command": ["eval"], "srg_version": "x", "started": "%s", "run_dir": "/runs/a", "study": null,
                 "models": [{"id": "m", "kind": "openai", "spec": "openai:m@%s"}],
                 "judge": {"id": "keyword", "spec": "keyword"}, "n": %d,
                 "sampling": {"temperature": 1.0, "seed": 0, "key": "t1.0;s0"},
                 "datasets": [{"path": "/data/%s/a.csv", "sha256": "abc", "rows": 2}]}
                """.formatted(started, server, n, server.hashCode()));
    }

    @Test
    void aFolderOfOtherFilesIsRefusedUnlessForced() throws Exception {
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(mine.resolve("notes.txt"), "my notes");
        SettingError e = assertThrows(SettingError.class, () -> new EvalFolder(mine, false).checkContents());
        assertEquals("--out " + mine + " holds files (notes.txt) but no srg run store (run.db); choose a new or empty folder,"
                + " or pass --force to write run.db, results.json and report.html there", e.message(FLAG));
        new EvalFolder(mine, true).checkContents();
        new EvalFolder(Files.createDirectories(tmp.resolve("empty")), false).checkContents();
        try (RunStore store = RunStore.open(tmp.resolve("srg"))) {
            Files.writeString(tmp.resolve("srg/notes.txt"), "beside a run store");
        }
        new EvalFolder(tmp.resolve("srg"), false).checkContents();
    }

    @Test
    void aFolderKeepsItsSettingsWhoeverRunsItAndFromWherever() throws Exception {
        Path run = tmp.resolve("run");
        try (RunStore store = RunStore.open(run)) {
            EvalFolder folder = new EvalFolder(run, false);
            folder.check(store, config(2, "2026-01-01", "http://a:8000/v1"));
            // Another day, another server for the same model name, the datasets moved: the same evaluation.
            folder.check(store, config(2, "2026-02-01", "http://b:8000/v1"));
            SettingError e = assertThrows(SettingError.class, () -> folder.check(store, config(3, "2026-02-01", "http://a:8000/v1")));
            assertEquals("--out " + run + " holds an eval with other settings (n 2 -> 3), whose results are kept: use a new --out"
                    + " folder, or pass --force to make this run the folder's (results.json and report.html are then replaced;"
                    + " run.db keeps every earlier sample)", e.message(FLAG));
            // Forced, the new settings become the folder's.
            new EvalFolder(run, true).check(store, config(3, "2026-02-01", "http://a:8000/v1"));
            folder.check(store, config(3, "2026-03-01", "http://a:8000/v1"));
            assertThrows(SettingError.class, () -> folder.check(store, config(2, "2026-03-01", "http://a:8000/v1")));
        }
    }

    @Test
    void aFolderFromBeforeSettingsWereStoredIsKnownByItsResults() throws Exception {
        Path run = tmp.resolve("old");
        try (RunStore store = RunStore.open(run)) {
            ObjectNode results = JSON.createObjectNode();
            results.set("config", config(2, "2025-01-01", "http://a:8000/v1"));
            ResultsJson.write(run.resolve(ResultsJson.FILE_NAME), results);
            SettingError e = assertThrows(SettingError.class, () -> new EvalFolder(run, false).check(store,
                    config(4, "2026-01-01", "http://a:8000/v1")));
            assertTrue(e.message(FLAG).contains("holds an eval with other settings (n 2 -> 4)"), e.getMessage());

            Files.writeString(run.resolve(ResultsJson.FILE_NAME), "{not json");
            e = assertThrows(SettingError.class, () -> new EvalFolder(run, false).check(store, config(2, "2026-01-01", "x")));
            assertTrue(e.message(FLAG).endsWith("; use a new --out folder, or pass --force to replace it"), e.getMessage());
        }
    }
}
