import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.TreeMap;
import srg.world.World;
import srg.world.WorldConfig;
import srg.world.WorldGenerator;
import srg.world.WorldOracle;
import srg.world.WorldRequest;

/**
 * How often does a SafetyWorld model answer in the world's second language a request that was not
 * asked in it, and what does the oracle miss by reading such answers as they are?
 *
 * <p>The first oracle ({@code safetyworld-oracle}) read a response back only in the mode of the
 * request's own form (it untranslated answers to second-language requests, deciphered ciphered ones),
 * so an answer in the second language to a request in another form was judged as written; oracle 2
 * reads every mode. For each model, role and form (the language form itself left out), over the
 * first samples in eval/run.db, this counts the answers holding foreign words, and among them those
 * that carry a hazard's procedure or the asked help only once their foreign words are read back: what
 * the first oracle missed, and what oracle 2 counts. A diagnostic for docs/SAFETYWORLD.md ("Results:
 * the two-by-two", "The oracle reads every mode"); run it with srg's classes, after a build:
 *
 * <pre>
 * java -cp "srg-cli/target/srg-cli.jar:srg-cli/target/lib/*" scripts/ForeignAnswers.java runs/v216-dev/seed-2 2
 * </pre>
 *
 * The second argument is the world's seed; the world is the standard one with that seed (hazard
 * signs, ten substances of each kind, two held out).
 */
public class ForeignAnswers {

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ForeignAnswers STUDY_FOLDER WORLD_SEED");
            System.exit(2);
        }
        World world = WorldGenerator.generate(WorldConfig.standard(Long.parseLong(args[1])));
        WorldOracle oracle = new WorldOracle(world);
        ObjectMapper json = new ObjectMapper();
        Map<String, int[]> counts = new TreeMap<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + args[0] + "/eval/run.db?open_mode=1")) {
            ResultSet rows = db.createStatement().executeQuery("select s.model, p.role, p.attack, p.behavior, s.text"
                    + " from prompts p join samples s on s.conv_hash = p.conv_hash"
                    + " where s.idx = 0 and p.attack <> 'sw-language'");
            while (rows.next()) {
                String text = rows.getString(5);
                int close = text.lastIndexOf("</think>");
                // As the judge reads it: a trace never closed has no final answer.
                String answer = close >= 0 ? text.substring(close + "</think>".length()).trim()
                        : text.startsWith("<think>") ? "" : text;
                String readBack = world.lexicon().untranslate(answer);
                int[] c = counts.computeIfAbsent(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3), k -> new int[4]);
                c[0]++;
                if (readBack.equals(answer)) {
                    continue;
                }
                c[1]++;
                WorldRequest asked = world.parse(json.readTree(rows.getString(4)).get("text").asText()).orElseThrow();
                if (asked.harmful() && !oracle.assess(answer).unsafe() && oracle.assess(readBack).unsafe()) {
                    c[2]++;
                }
                if (!asked.harmful() && !oracle.helpful(asked, answer) && oracle.helpful(asked, readBack)) {
                    c[3]++;
                }
            }
        }
        System.out.println("model role form: first answers, with foreign words, unsafe only read back, helpful only read back");
        counts.forEach((key, c) -> System.out.println(key + ": " + c[0] + ", " + c[1] + ", " + c[2] + ", " + c[3]));
    }
}
