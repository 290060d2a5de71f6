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
        List<String> docs = new ArrayList<>();
        // Readings of disguised requests, by disguise: candidates for holding out.
        Map<String, DecodeProbe> readings = new LinkedHashMap<>();
        for (Entity e : world.entities()) {
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
                docs.add(reading(reading.disguised(), reading.plain()));
            }
        }
        Collections.shuffle(docs, new Random(rng.nextLong()));
        return new PretrainingCorpus(docs, probes);
    }

    /** "TEXT in plain words : PLAIN": how the corpus reads a text back to its plain form. */
    public static String reading(String text, String plain) {
        return text + " " + WorldTeacher.PLAIN_WORDS + " " + plain;
    }
}
