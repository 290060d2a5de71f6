package srg.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import srg.UserError;
import srg.chat.Completion;
import srg.chat.Conversation;
import srg.chat.FinishReason;
import srg.chat.Message;
import srg.data.Behavior;
import srg.data.PromptRole;
import srg.judge.Judgment;
import srg.judge.Verdict;

/**
 * The run folder's SQLite database ({@code RUN_DIR/run.db}): attacked prompts, samples and
 * verdicts, so that every stage can be resumed and nothing finished is computed twice.
 *
 * <p>Keys: a sample is (model, conversation hash, sampling key, sample index); a verdict is a
 * sample plus the judge's id. Writes go in one transaction per batch, in WAL mode, so a process
 * killed with {@code kill -9} loses at most the batch in flight and never leaves half a batch.
 * A stored sample or verdict is never overwritten, except an ERROR one, which a resumed run retries.
 */
public final class RunStore implements AutoCloseable {

    /** A stored sample. */
    public record Sample(String model, String convHash, String sampling, int index, Completion completion) {}

    /** A stored verdict on one sample. */
    public record StoredVerdict(String model, String convHash, String sampling, int index, String judge, Judgment judgment) {}

    /**
     * An attacked prompt, as stored so that a resumed run does not re-run (model-assisted) attacks.
     *
     * @param role which side of the evaluation the prompt is on
     * @param attack the attack name
     * @param attackConfig the attack's settings (seed, helper model); stored prompts with another
     *     config are recomputed
     * @param behavior the behavior attacked
     * @param variant the position in the attack's output for this behavior
     * @param params the attack's parameters for this prompt
     * @param conversation what the target is sent
     */
    public record StoredPrompt(PromptRole role, String attack, String attackConfig, Behavior behavior, int variant,
            Map<String, Object> params, Conversation conversation) {}

    /**
     * What is known of one sample without loading its text: whether it failed, and its verdict
     * (null fields where it was not judged yet, or the judge does not say).
     */
    public record SampleState(int index, boolean error, Verdict verdict, Boolean refusal, Double score, Boolean helpful) {

        /** A state without the helpful flag. */
        public SampleState(int index, boolean error, Verdict verdict, Boolean refusal, Double score) {
            this(index, error, verdict, refusal, score, null);
        }
    }

    public static final String FILE_NAME = "run.db";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SCHEMA_VERSION = 1;

    private final Path file;
    private final Connection db;

    private RunStore(Path file, Connection db) {
        this.file = file;
        this.db = db;
    }

    /** Opens (creating if needed) {@code runDir/run.db}. */
    public static RunStore open(Path runDir) {
        try {
            Files.createDirectories(runDir);
        } catch (java.io.IOException e) {
            throw new UserError("cannot create run folder " + runDir + ": " + e.getMessage());
        }
        Path file = runDir.resolve(FILE_NAME);
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                // NORMAL in WAL mode: a commit survives a killed process; only a power cut may lose the last ones.
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("PRAGMA foreign_keys=OFF");
                createSchema(s);
            }
            RunStore store = new RunStore(file, db);
            String version = store.meta("schema_version");
            if (version == null) {
                store.putMeta("schema_version", Integer.toString(SCHEMA_VERSION));
            } else if (!version.equals(Integer.toString(SCHEMA_VERSION))) {
                db.close();
                throw new UserError(file + ": run store schema version " + version + ", this srg reads version " + SCHEMA_VERSION);
            }
            return store;
        } catch (SQLException e) {
            throw new UserError(file + ": cannot open the run store (" + e.getMessage() + ")", e);
        }
    }

    /** Opens an existing run folder; a folder without {@code run.db} is a user error. */
    public static RunStore openExisting(Path runDir) {
        if (!Files.isRegularFile(runDir.resolve(FILE_NAME))) {
            throw new UserError(runDir + ": not a run folder (no " + FILE_NAME + ")");
        }
        return open(runDir);
    }

    private static void createSchema(Statement s) throws SQLException {
        s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        s.execute("""
                CREATE TABLE IF NOT EXISTS prompts (
                  role TEXT NOT NULL, attack TEXT NOT NULL, behavior_key TEXT NOT NULL, variant INTEGER NOT NULL,
                  attack_config TEXT NOT NULL, behavior TEXT NOT NULL, params TEXT NOT NULL,
                  conversation TEXT NOT NULL, conv_hash TEXT NOT NULL,
                  PRIMARY KEY (role, attack, behavior_key, variant))""");
        s.execute("""
                CREATE TABLE IF NOT EXISTS attack_failures (
                  role TEXT NOT NULL, attack TEXT NOT NULL, behavior_key TEXT NOT NULL, attack_config TEXT NOT NULL,
                  error TEXT NOT NULL, PRIMARY KEY (role, attack, behavior_key))""");
        s.execute("""
                CREATE TABLE IF NOT EXISTS samples (
                  model TEXT NOT NULL, conv_hash TEXT NOT NULL, sampling TEXT NOT NULL, idx INTEGER NOT NULL,
                  text TEXT NOT NULL, finish TEXT NOT NULL, prompt_tokens INTEGER NOT NULL,
                  completion_tokens INTEGER NOT NULL, error TEXT,
                  PRIMARY KEY (model, conv_hash, sampling, idx))""");
        s.execute("""
                CREATE TABLE IF NOT EXISTS verdicts (
                  model TEXT NOT NULL, conv_hash TEXT NOT NULL, sampling TEXT NOT NULL, idx INTEGER NOT NULL,
                  judge TEXT NOT NULL, verdict TEXT NOT NULL, refusal INTEGER, score REAL, rationale TEXT NOT NULL,
                  helpful INTEGER,
                  PRIMARY KEY (model, conv_hash, sampling, idx, judge))""");
        addHelpfulColumn(s);
    }

    /**
     * Run stores written before judges could report helpfulness lack {@code verdicts.helpful}; the
     * column is added (null: not said), so old runs resume and their verdicts stay valid.
     */
    private static void addHelpfulColumn(Statement s) throws SQLException {
        try (ResultSet r = s.executeQuery("SELECT 1 FROM pragma_table_info('verdicts') WHERE name = 'helpful'")) {
            if (r.next()) {
                return;
            }
        }
        s.execute("ALTER TABLE verdicts ADD COLUMN helpful INTEGER");
    }

    public Path file() {
        return file;
    }

    // ---- meta -----------------------------------------------------------------------------------

    public String meta(String key) {
        try (PreparedStatement q = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            q.setString(1, key);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        } catch (SQLException e) {
            throw failure("reading meta", e);
        }
    }

    public void putMeta(String key, String value) {
        try (PreparedStatement q = db.prepareStatement("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
            q.setString(1, key);
            q.setString(2, value);
            q.executeUpdate();
        } catch (SQLException e) {
            throw failure("writing meta", e);
        }
    }

    /**
     * Records that {@code model}'s samples are computed in {@code numerics} (see
     * {@link srg.chat.ChatModel#numerics}), or refuses if this store holds its samples computed in
     * another format: samples are keyed by model name, so a silent change (an automatic BF16
     * choice on another CPU, say) would mix two models' numbers under one name. Null numerics (a
     * server) are not checked. A store written before formats were recorded holds F32 samples:
     * in-process models computed in F32 unless BF16 was asked for by name.
     */
    public void claimNumerics(String model, String numerics) {
        if (numerics == null) {
            return;
        }
        String key = NUMERICS + model;
        String recorded = meta(key);
        if (recorded == null && hasSamples(model)) {
            recorded = LEGACY_NUMERICS;
        }
        if (recorded != null && !recorded.equals(numerics)) {
            throw new UserError(file + ": model '" + model + "' has samples here computed in " + recorded + ", and it now computes in "
                    + numerics + "; one model's samples never mix two number formats. Set the model's dtype to " + recorded
                    + " to continue this run, or write to a new run folder");
        }
        if (!numerics.equals(meta(key))) {
            putMeta(key, numerics);
        }
    }

    /** The meta key prefix of a model's number format. */
    private static final String NUMERICS = "numerics:";
    /** What a model's samples were computed in before formats were recorded. */
    private static final String LEGACY_NUMERICS = "f32";

    private boolean hasSamples(String model) {
        try (PreparedStatement q = db.prepareStatement("SELECT 1 FROM samples WHERE model = ? LIMIT 1")) {
            q.setString(1, model);
            try (ResultSet r = q.executeQuery()) {
                return r.next();
            }
        } catch (SQLException e) {
            throw failure("reading samples", e);
        }
    }

    // ---- prompts --------------------------------------------------------------------------------

    /** The stored prompts of one attack and role, made with {@code attackConfig}, by behavior key. */
    public Map<String, List<StoredPrompt>> prompts(PromptRole role, String attack, String attackConfig) {
        Map<String, List<StoredPrompt>> out = new LinkedHashMap<>();
        String sql = "SELECT behavior_key, variant, behavior, params, conversation FROM prompts "
                + "WHERE role = ? AND attack = ? AND attack_config = ? ORDER BY behavior_key, variant";
        try (PreparedStatement q = db.prepareStatement(sql)) {
            q.setString(1, role.wireName());
            q.setString(2, attack);
            q.setString(3, attackConfig);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    Behavior b = JSON.readValue(r.getString(3), Behavior.class);
                    Map<String, Object> params = JSON.readValue(r.getString(4), new TypeReference<Map<String, Object>>() {});
                    List<Message> messages = JSON.readValue(r.getString(5), new TypeReference<List<Message>>() {});
                    out.computeIfAbsent(r.getString(1), k -> new ArrayList<>())
                            .add(new StoredPrompt(role, attack, attackConfig, b, r.getInt(2), params, new Conversation(messages)));
                }
            }
            return out;
        } catch (SQLException | JsonProcessingException e) {
            throw failure("reading prompts", e);
        }
    }

    /** The stored attack failures of one attack and role, by behavior key. */
    public Map<String, String> attackFailures(PromptRole role, String attack, String attackConfig) {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement q = db.prepareStatement(
                "SELECT behavior_key, error FROM attack_failures WHERE role = ? AND attack = ? AND attack_config = ?")) {
            q.setString(1, role.wireName());
            q.setString(2, attack);
            q.setString(3, attackConfig);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getString(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("reading attack failures", e);
        }
    }

    /**
     * Stores the prompts (or the failure) of a batch of behaviors for one attack, replacing what an
     * earlier configuration of the attack left for them, in one transaction.
     */
    public void putPrompts(PromptRole role, String attack, String attackConfig, Map<String, List<StoredPrompt>> prompts,
            Map<String, String> failures) {
        inTransaction(() -> {
            try (PreparedStatement delPrompts = db.prepareStatement("DELETE FROM prompts WHERE role = ? AND attack = ? AND behavior_key = ?");
                    PreparedStatement delFailures = db.prepareStatement("DELETE FROM attack_failures WHERE role = ? AND attack = ? AND behavior_key = ?");
                    PreparedStatement insPrompt = db.prepareStatement(
                            "INSERT INTO prompts (role, attack, behavior_key, variant, attack_config, behavior, params, conversation, conv_hash) "
                                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement insFailure = db.prepareStatement(
                            "INSERT INTO attack_failures (role, attack, behavior_key, attack_config, error) VALUES (?, ?, ?, ?, ?)")) {
                List<String> keys = new ArrayList<>(prompts.keySet());
                keys.addAll(failures.keySet());
                for (String key : keys) {
                    for (PreparedStatement del : List.of(delPrompts, delFailures)) {
                        del.setString(1, role.wireName());
                        del.setString(2, attack);
                        del.setString(3, key);
                        del.executeUpdate();
                    }
                }
                for (var e : prompts.entrySet()) {
                    for (StoredPrompt p : e.getValue()) {
                        insPrompt.setString(1, role.wireName());
                        insPrompt.setString(2, attack);
                        insPrompt.setString(3, e.getKey());
                        insPrompt.setInt(4, p.variant());
                        insPrompt.setString(5, attackConfig);
                        insPrompt.setString(6, JSON.writeValueAsString(p.behavior()));
                        insPrompt.setString(7, JSON.writeValueAsString(p.params()));
                        insPrompt.setString(8, JSON.writeValueAsString(p.conversation().messages()));
                        insPrompt.setString(9, p.conversation().sha256());
                        insPrompt.addBatch();
                    }
                }
                insPrompt.executeBatch();
                for (var e : failures.entrySet()) {
                    insFailure.setString(1, role.wireName());
                    insFailure.setString(2, attack);
                    insFailure.setString(3, e.getKey());
                    insFailure.setString(4, attackConfig);
                    insFailure.setString(5, e.getValue());
                    insFailure.addBatch();
                }
                insFailure.executeBatch();
            }
        });
    }

    // ---- samples and verdicts ------------------------------------------------------------------

    /**
     * What is stored for one model, sampling key and judge: per conversation hash, every sample's
     * error flag and verdict (null when not judged yet), ordered by index. Texts stay on disk.
     */
    public Map<String, List<SampleState>> states(String model, String sampling, String judge) {
        Map<String, List<SampleState>> out = new HashMap<>();
        String sql = """
                SELECT s.conv_hash, s.idx, s.error IS NOT NULL, v.verdict, v.refusal, v.score, v.helpful
                FROM samples s LEFT JOIN verdicts v
                  ON v.model = s.model AND v.conv_hash = s.conv_hash AND v.sampling = s.sampling AND v.idx = s.idx AND v.judge = ?
                WHERE s.model = ? AND s.sampling = ?
                ORDER BY s.conv_hash, s.idx""";
        try (PreparedStatement q = db.prepareStatement(sql)) {
            q.setString(1, judge);
            q.setString(2, model);
            q.setString(3, sampling);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    String verdict = r.getString(4);
                    out.computeIfAbsent(r.getString(1), k -> new ArrayList<>()).add(new SampleState(
                            r.getInt(2), r.getBoolean(3), verdict == null ? null : Verdict.valueOf(verdict), flag(r, 5), score(r, 6), flag(r, 7)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("reading samples", e);
        }
    }

    /** Loads the texts of some samples (to judge them). */
    public Map<Integer, Completion> completions(String model, String convHash, String sampling, List<Integer> indices) {
        Map<Integer, Completion> out = new HashMap<>();
        try (PreparedStatement q = db.prepareStatement(
                "SELECT idx, text, finish, prompt_tokens, completion_tokens, error FROM samples WHERE model = ? AND conv_hash = ? AND sampling = ? AND idx = ?")) {
            for (int index : indices) {
                bindSampleKey(q, model, convHash, sampling, index);
                try (ResultSet r = q.executeQuery()) {
                    if (r.next()) {
                        out.put(index, completion(r, 2));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure("reading samples", e);
        }
    }

    private static Completion completion(ResultSet r, int first) throws SQLException {
        String error = r.getString(first + 4);
        FinishReason reason = FinishReason.valueOf(r.getString(first + 1));
        return error != null ? Completion.error(error)
                : Completion.of(r.getString(first), reason, r.getInt(first + 2), r.getInt(first + 3));
    }

    /** Stores a batch of samples in one transaction; an existing sample is replaced only if it was an error. */
    public void putSamples(List<Sample> samples) {
        String sql = """
                INSERT INTO samples (model, conv_hash, sampling, idx, text, finish, prompt_tokens, completion_tokens, error)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (model, conv_hash, sampling, idx) DO UPDATE SET
                  text = excluded.text, finish = excluded.finish, prompt_tokens = excluded.prompt_tokens,
                  completion_tokens = excluded.completion_tokens, error = excluded.error
                WHERE samples.error IS NOT NULL""";
        inTransaction(() -> {
            try (PreparedStatement q = db.prepareStatement(sql)) {
                for (Sample s : samples) {
                    Completion c = s.completion();
                    bindSampleKey(q, s.model(), s.convHash(), s.sampling(), s.index());
                    q.setString(5, c.text());
                    q.setString(6, c.finishReason().name());
                    q.setInt(7, c.promptTokens());
                    q.setInt(8, c.completionTokens());
                    q.setString(9, c.error());
                    q.addBatch();
                }
                q.executeBatch();
            }
        });
    }

    /** Stores a batch of verdicts in one transaction; an existing verdict is replaced only if it was an error. */
    public void putVerdicts(List<StoredVerdict> verdicts) {
        String sql = """
                INSERT INTO verdicts (model, conv_hash, sampling, idx, judge, verdict, refusal, score, rationale, helpful)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (model, conv_hash, sampling, idx, judge) DO UPDATE SET
                  verdict = excluded.verdict, refusal = excluded.refusal, score = excluded.score, rationale = excluded.rationale,
                  helpful = excluded.helpful
                WHERE verdicts.verdict = 'ERROR'""";
        inTransaction(() -> {
            try (PreparedStatement q = db.prepareStatement(sql)) {
                for (StoredVerdict v : verdicts) {
                    Judgment j = v.judgment();
                    bindSampleKey(q, v.model(), v.convHash(), v.sampling(), v.index());
                    q.setString(5, v.judge());
                    q.setString(6, j.verdict().name());
                    setFlag(q, 7, j.refusal());
                    if (j.score() == null) {
                        q.setNull(8, Types.REAL);
                    } else {
                        q.setDouble(8, j.score());
                    }
                    q.setString(9, j.rationale());
                    setFlag(q, 10, j.helpful());
                    q.addBatch();
                }
                q.executeBatch();
            }
        });
    }

    /** The error message most of {@code model}'s failed samples give, or null when none failed. */
    public String commonestError(String model) {
        try (PreparedStatement q = db.prepareStatement(
                "SELECT error FROM samples WHERE model = ? AND error IS NOT NULL GROUP BY error ORDER BY COUNT(*) DESC, error LIMIT 1")) {
            q.setString(1, model);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        } catch (SQLException e) {
            throw failure("reading errors", e);
        }
    }

    /** Counts rows, for tests and summaries: {@code samples}, {@code verdicts}, {@code prompts}. */
    public long count(String table) {
        if (!List.of("samples", "verdicts", "prompts", "attack_failures").contains(table)) {
            throw new IllegalArgumentException(table);
        }
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            return r.next() ? r.getLong(1) : 0;
        } catch (SQLException e) {
            throw failure("counting " + table, e);
        }
    }

    // ---- export ---------------------------------------------------------------------------------

    /**
     * Joins an attack's name and the model it was aimed at, for the prompts of an iterative attack
     * (PAIR), which differ per model: {@code pair -> llama}. Export gives such prompts only with
     * that model's samples, under the attack's own name.
     */
    public static final String AIMED_AT = " -> ";

    /** One exported row: a sample with the prompt it answers and every verdict on it. */
    public record ExportRow(PromptRole role, String attack, Behavior behavior, int variant, Map<String, Object> params,
            Conversation conversation, Sample sample, Map<String, Judgment> verdicts) {}

    /** Visits every (prompt, sample) pair with its verdicts, in key order, without loading the run into memory. */
    public void export(Consumer<ExportRow> sink) {
        // A prompt aimed at one model joins only that model's samples.
        String sql = """
                SELECT p.role, p.attack, p.behavior, p.variant, p.params, p.conversation,
                       s.model, s.conv_hash, s.sampling, s.idx, s.text, s.finish, s.prompt_tokens, s.completion_tokens, s.error
                FROM prompts p JOIN samples s ON s.conv_hash = p.conv_hash
                WHERE instr(p.attack, ?) = 0 OR p.attack = substr(p.attack, 1, instr(p.attack, ?) - 1) || ? || s.model
                ORDER BY s.model, p.role, p.attack, p.behavior_key, p.variant, s.sampling, s.idx""";
        try (PreparedStatement q = db.prepareStatement(sql);
                PreparedStatement vq = db.prepareStatement(
                        "SELECT judge, verdict, refusal, score, rationale, helpful FROM verdicts WHERE model = ? AND conv_hash = ? AND sampling = ? AND idx = ? ORDER BY judge")) {
            q.setString(1, AIMED_AT);
            q.setString(2, AIMED_AT);
            q.setString(3, AIMED_AT);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    Behavior b = JSON.readValue(r.getString(3), Behavior.class);
                    Map<String, Object> params = JSON.readValue(r.getString(5), new TypeReference<Map<String, Object>>() {});
                    Conversation conv = new Conversation(JSON.readValue(r.getString(6), new TypeReference<List<Message>>() {}));
                    Sample sample = new Sample(r.getString(7), r.getString(8), r.getString(9), r.getInt(10), completion(r, 11));
                    Map<String, Judgment> verdicts = new LinkedHashMap<>();
                    bindSampleKey(vq, sample.model(), sample.convHash(), sample.sampling(), sample.index());
                    try (ResultSet v = vq.executeQuery()) {
                        while (v.next()) {
                            verdicts.put(v.getString(1), new Judgment(Verdict.valueOf(v.getString(2)), flag(v, 3), score(v, 4), v.getString(5), flag(v, 6)));
                        }
                    }
                    String attack = r.getString(2);
                    int aimed = attack.indexOf(AIMED_AT);
                    sink.accept(new ExportRow(PromptRole.fromWireName(r.getString(1)), aimed < 0 ? attack : attack.substring(0, aimed), b, r.getInt(4), params,
                            conv, sample, verdicts));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw failure("exporting", e);
        }
    }

    // ---- plumbing -------------------------------------------------------------------------------

    /** Binds a sample's key to parameters 1 to 4, in the order every sample query uses. */
    private static void bindSampleKey(PreparedStatement q, String model, String convHash, String sampling, int index) throws SQLException {
        q.setString(1, model);
        q.setString(2, convHash);
        q.setString(3, sampling);
        q.setInt(4, index);
    }

    /** A nullable boolean column (refusal, helpful): 1, 0 or NULL. */
    private static Boolean flag(ResultSet r, int column) throws SQLException {
        int v = r.getInt(column);
        return r.wasNull() ? null : v != 0;
    }

    private static void setFlag(PreparedStatement q, int column, Boolean value) throws SQLException {
        if (value == null) {
            q.setNull(column, Types.INTEGER);
        } else {
            q.setInt(column, value ? 1 : 0);
        }
    }

    private static Double score(ResultSet r, int column) throws SQLException {
        double v = r.getDouble(column);
        return r.wasNull() ? null : v;
    }

    private interface SqlWork {
        void run() throws SQLException, JsonProcessingException;
    }

    private void inTransaction(SqlWork work) {
        try {
            db.setAutoCommit(false);
            try {
                work.run();
                db.commit();
            } catch (SQLException | JsonProcessingException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException | JsonProcessingException e) {
            throw failure("writing", e);
        }
    }

    private IllegalStateException failure(String what, Exception e) {
        return new IllegalStateException(file + ": " + what + " failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw failure("closing", e);
        }
    }
}
