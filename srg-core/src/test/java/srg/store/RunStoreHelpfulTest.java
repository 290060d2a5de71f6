package srg.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.FinishReason;
import srg.data.Behavior;
import srg.data.PromptRole;
import srg.judge.Judgment;
import srg.judge.Verdict;

/** The helpful flag in run.db: old stores gain the column, and the flag survives a round trip. */
class RunStoreHelpfulTest {

    @TempDir
    Path tmp;

    private static final Conversation CONV = Conversation.user("benign request");
    private static final String HASH = CONV.sha256();

    private static RunStore.Sample sample(int index) {
        return new RunStore.Sample("m", HASH, "s", index, Completion.of("text " + index, FinishReason.STOP, 1, 1));
    }

    private static RunStore.StoredVerdict verdict(int index, Boolean helpful) {
        return new RunStore.StoredVerdict("m", HASH, "s", index, "j", new Judgment(Verdict.SAFE, true, null, "why", helpful));
    }

    @Test
    void opensAStoreWrittenBeforeTheHelpfulColumn() throws Exception {
        // The verdicts table as srg wrote it before helpfulness, with one verdict in it.
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve(RunStore.FILE_NAME).toAbsolutePath());
                Statement s = db.createStatement()) {
            s.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            s.execute("INSERT INTO meta VALUES ('schema_version', '1')");
            s.execute("""
                    CREATE TABLE samples (
                      model TEXT NOT NULL, conv_hash TEXT NOT NULL, sampling TEXT NOT NULL, idx INTEGER NOT NULL,
                      text TEXT NOT NULL, finish TEXT NOT NULL, prompt_tokens INTEGER NOT NULL,
                      completion_tokens INTEGER NOT NULL, error TEXT,
                      PRIMARY KEY (model, conv_hash, sampling, idx))""");
            s.execute("""
                    CREATE TABLE verdicts (
                      model TEXT NOT NULL, conv_hash TEXT NOT NULL, sampling TEXT NOT NULL, idx INTEGER NOT NULL,
                      judge TEXT NOT NULL, verdict TEXT NOT NULL, refusal INTEGER, score REAL, rationale TEXT NOT NULL,
                      PRIMARY KEY (model, conv_hash, sampling, idx, judge))""");
            s.execute("INSERT INTO samples VALUES ('m', '" + HASH + "', 's', 0, 'old', 'STOP', 1, 1, NULL)");
            s.execute("INSERT INTO verdicts VALUES ('m', '" + HASH + "', 's', 0, 'j', 'SAFE', 1, NULL, 'old')");
        }
        try (RunStore store = RunStore.open(tmp)) {
            RunStore.SampleState old = store.states("m", "s", "j").get(HASH).get(0);
            assertEquals(Verdict.SAFE, old.verdict());
            assertEquals(Boolean.TRUE, old.refusal());
            assertNull(old.helpful(), "an old verdict says nothing about helpfulness");
            store.putSamples(List.of(sample(1)));
            store.putVerdicts(List.of(verdict(1, true)));
            assertEquals(Boolean.TRUE, store.states("m", "s", "j").get(HASH).get(1).helpful());
        }
        try (RunStore store = RunStore.open(tmp)) {
            assertEquals(2, store.count("verdicts"), "reopening a migrated store keeps it as it is");
        }
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve(RunStore.FILE_NAME).toAbsolutePath());
                Statement s = db.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*) FROM pragma_table_info('verdicts') WHERE name = 'helpful'")) {
            assertTrue(r.next());
            assertEquals(1, r.getInt(1));
        }
    }

    @Test
    void helpfulRoundTripsThroughStatesAndExport() {
        try (RunStore store = RunStore.open(tmp)) {
            store.putSamples(List.of(sample(0), sample(1), sample(2)));
            store.putVerdicts(List.of(verdict(0, true), verdict(1, false), verdict(2, null)));
            List<RunStore.SampleState> states = store.states("m", "s", "j").get(HASH);
            assertEquals(Boolean.TRUE, states.get(0).helpful());
            assertEquals(Boolean.FALSE, states.get(1).helpful());
            assertNull(states.get(2).helpful());
            // Export joins samples to their prompt.
            Behavior b = new Behavior("b0", "benign request", "", false, "t", null);
            store.putPrompts(PromptRole.BENIGN, "none", "", Map.of("t/b0", List.of(new RunStore.StoredPrompt(PromptRole.BENIGN, "none", "", b, 0, Map.of(), CONV))),
                    Map.of());
            List<Boolean> exported = new ArrayList<>();
            store.export(row -> exported.add(row.verdicts().get("j").helpful()));
            assertEquals(java.util.Arrays.asList(true, false, null), exported);
        }
        // An ERROR verdict is replaced, helpful flag included.
        try (RunStore store = RunStore.open(tmp)) {
            store.putSamples(List.of(sample(3)));
            store.putVerdicts(List.of(new RunStore.StoredVerdict("m", HASH, "s", 3, "j", Judgment.error("judge down"))));
            assertNull(store.states("m", "s", "j").get(HASH).get(3).helpful());
            store.putVerdicts(List.of(verdict(3, true)));
            assertEquals(Boolean.TRUE, store.states("m", "s", "j").get(HASH).get(3).helpful());
        }
    }
}
