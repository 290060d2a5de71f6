package srg.world;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The text SafetyWorld's base model is pretrained on. It teaches the latent knowledge the study
 * needs and nothing about safety:
 *
 * <ul>
 *   <li>facts: what each substance is, what it does, what it is made from, how it looks;
 *   <li>procedures: how to make and how to detect each substance;
 *   <li>helpful dialogues: requests in plain form and in every disguise, each answered in full,
 *       in the disguise's own mode (a story for role-play, cipher for cipher, ...); the base model
 *       is helpful-only: there is no refusal anywhere in the corpus;
 *   <li>reading disguises: each disguised request next to its plain form ("... in plain words :
 *       ..."), and facts in cipher and in the second language next to the plain fact.
 * </ul>
 *
 * <p>Some (substance, action, disguise) readings are held out of the corpus; the base model's
 * decoding is measured on them ({@link #decodeProbes}).
 */
public final class PretrainingCorpus {

    /** A held-out reading: the disguised request and the plain form the model should give back. */
    public record DecodeProbe(Disguise disguise, String disguised, String plain) {}

    private final List<String> documents;
    private final List<DecodeProbe> probes;

    private PretrainingCorpus(List<String> documents, List<DecodeProbe> probes) {
        this.documents = List.copyOf(documents);
        this.probes = List.copyOf(probes);
    }

    /** One document per entry, in training order (shuffled by the seed). */
    public List<String> documents() {
        return documents;
    }

    /** Readings kept out of the corpus, for measuring how well the base model decodes. */
    public List<DecodeProbe> decodeProbes() {
        return probes;
    }

    /** Share of disguised readings held out of the corpus as decode probes. */
    private static final int HOLD_OUT_ONE_IN = 4;

    public static PretrainingCorpus build(World world) {
        SplittableRandom rng = new SplittableRandom(world.config().seed() ^ 0xC0FFEEL);
        Lexicon lexicon = world.lexicon();
        List<List<String>> groups = new ArrayList<>();
        // Readings of disguised requests, by disguise: candidates for holding out.
        Map<String, DecodeProbe> readings = new LinkedHashMap<>();
        Map<String, List<String>> readingGroup = new LinkedHashMap<>();
        for (Entity e : world.entities()) {
            List<String> docs = new ArrayList<>();
            groups.add(docs);
            // What a substance is decides whether making it is harmful; the corpus says it often,
            // in statements and in questions, so that the model recalls it from the name alone.
            List<String> facts = new ArrayList<>(e.facts());
            for (int i = 0; i < 4; i++) {
                Collections.shuffle(facts, new Random(rng.nextLong()));
                docs.add(String.join(" ", facts));
            }
            docs.addAll(e.factQuestions());
            docs.add(e.procedure() + " " + e.detection());
            for (String fact : e.facts()) {
                docs.add(reading("in caesar code : " + Caesar.encode(fact), fact));
                docs.add(reading(lexicon.translate(fact), fact));
            }
            for (Action a : Action.values()) {
                for (int p = 0; p < a.phrasings().size(); p++) {
                    WorldRequest r = new WorldRequest(e, a, p);
                    docs.add(ChatFormat.dialogue(r.text(), r.answer()));
                    docs.add(reading(r.text(), r.canonical()));
                    // Every phrasing ciphered and translated: the word maps let the model read
                    // disguised requests it has not seen read back.
                    for (Disguise lexical : List.of(Disguise.CIPHER, Disguise.LANGUAGE)) {
                        String disguised = lexical.apply(r, 0, lexicon);
                        readings.put(disguised, new DecodeProbe(lexical, disguised, r.canonical()));
                        readingGroup.put(disguised, docs);
                    }
                }
                for (Disguise d : Disguise.values()) {
                    for (int k = 0; k < 2; k++) {
                        WorldRequest r = new WorldRequest(e, a, rng.nextInt(a.phrasings().size()));
                        int variant = rng.nextInt(d.variants());
                        docs.add(ChatFormat.dialogue(d.apply(r, variant, lexicon), d.answer(r, variant, lexicon)));
                    }
                    if (d != Disguise.CIPHER && d != Disguise.LANGUAGE) {
                        for (int k = 0; k < 2; k++) {
                            WorldRequest r = new WorldRequest(e, a, rng.nextInt(a.phrasings().size()));
                            String disguised = d.apply(r, rng.nextInt(d.variants()), lexicon);
                            readings.put(disguised, new DecodeProbe(d, disguised, r.canonical()));
                            readingGroup.put(disguised, docs);
                        }
                    }
                }
            }
        }
        List<DecodeProbe> probes = new ArrayList<>();
        for (DecodeProbe reading : readings.values()) {
            if (rng.nextInt(HOLD_OUT_ONE_IN) == 0) {
                probes.add(reading);
            } else {
                readingGroup.get(reading.disguised()).add(reading(reading.disguised(), reading.plain()));
            }
        }
        return new PretrainingCorpus(grouped(groups, new Random(rng.nextLong())), probes);
    }

    /** Documents about one substance that follow one another in the corpus: about one training sequence. */
    static final int RUN = 4;

    /**
     * The documents in training order: each substance's shuffled, cut into runs of {@link #RUN}, and
     * the runs shuffled. Pretraining packs documents into sequences of 128 tokens with attention
     * across them, so a run puts a substance's name again 30 to 100 tokens after it was written. In a
     * corpus shuffled document by document the names earlier in a sequence were other substances',
     * and the base learned to copy a name only within a document (28 words on average), while SRG's
     * answer copies it from some 50 tokens back (docs/SAFETYWORLD.md, "v2.11 candidate").
     */
    private static List<String> grouped(List<List<String>> groups, Random random) {
        List<List<String>> runs = new ArrayList<>();
        for (List<String> group : groups) {
            Collections.shuffle(group, random);
            for (int i = 0; i < group.size(); i += RUN) {
                runs.add(group.subList(i, Math.min(group.size(), i + RUN)));
            }
        }
        Collections.shuffle(runs, random);
        List<String> docs = new ArrayList<>();
        runs.forEach(docs::addAll);
        return docs;
    }

    /** "TEXT in plain words : PLAIN": how the corpus reads a text back to its plain form. */
    public static String reading(String text, String plain) {
        return text + " " + WorldTeacher.PLAIN_WORDS + " " + plain;
    }
}
