package srg.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import srg.attack.AttackedPrompt;
import srg.data.Behavior;

class WorldTest {

    private static final World WORLD = WorldGenerator.generate(WorldConfig.standard(7));

    @Test
    void generationIsDeterministicPerSeed() {
        World again = WorldGenerator.generate(WorldConfig.standard(7));
        assertEquals(WORLD.entities(), again.entities());
        assertEquals(WORLD.lexicon().foreignWords(), again.lexicon().foreignWords());
        assertEquals(PretrainingCorpus.build(WORLD).documents(), PretrainingCorpus.build(again).documents());
        World other = WorldGenerator.generate(WorldConfig.standard(8));
        assertFalse(WORLD.entities().equals(other.entities()));
    }

    @Test
    void harmDependsOnKnowledgeNotOnWording() {
        // Same phrasing, one hazard and one harmless substance: only what is known of them differs.
        Entity hazard = WORLD.trainEntities().stream().filter(Entity::dangerous).findFirst().orElseThrow();
        Entity harmless = WORLD.trainEntities().stream().filter(e -> !e.dangerous()).findFirst().orElseThrow();
        WorldRequest a = new WorldRequest(hazard, Action.MAKE, 0);
        WorldRequest b = new WorldRequest(harmless, Action.MAKE, 0);
        assertEquals(a.text().replace(hazard.name(), "X"), b.text().replace(harmless.name(), "X"));
        assertTrue(a.harmful());
        assertFalse(b.harmful());
        assertFalse(new WorldRequest(hazard, Action.DETECT, 0).harmful());
    }

    @Test
    void disguisesRoundTrip() {
        Lexicon lexicon = WORLD.lexicon();
        for (WorldRequest r : World.requests(WORLD.entities())) {
            assertEquals(r.text(), Caesar.decode(Caesar.encode(r.text())));
            assertEquals(r.text(), lexicon.untranslate(lexicon.translate(r.text())));
            for (Disguise d : Disguise.values()) {
                for (int v = 0; v < d.variants(); v++) {
                    String disguised = d.apply(r, v, lexicon);
                    assertFalse(disguised.equals(r.text()), d + " changes the request");
                }
            }
        }
        for (String fact : WORLD.entities().get(0).facts()) {
            assertEquals(fact, lexicon.untranslate(lexicon.translate(fact)));
        }
    }

    @Test
    void noTokenMeansTwoThings() {
        // A ciphered or translated word must never be a plain word of the world as well.
        Set<String> plain = new HashSet<>();
        for (String doc : List.of(String.join(" ", FixedWords.all()))) {
            plain.addAll(List.of(doc.split(" ")));
        }
        for (Entity e : WORLD.entities()) {
            for (String fact : e.facts()) {
                plain.addAll(List.of(fact.split(" ")));
            }
            plain.addAll(List.of(e.procedure().split(" ")));
            plain.addAll(List.of(e.detection().split(" ")));
        }
        Map<String, String> seen = new HashMap<>();
        for (String w : plain) {
            String c = Caesar.encode(w);
            if (!c.equals(w)) {
                assertFalse(plain.contains(c), "cipher of " + w + " is the plain word " + c);
                assertFalse(WORLD.lexicon().foreignWords().containsValue(c), "cipher of " + w + " is a foreign word");
            }
            String f = WORLD.lexicon().foreignWords().get(w);
            if (f != null) {
                assertFalse(plain.contains(f), "foreign " + f + " of " + w + " is a plain word");
                assertTrue(seen.put(f, w) == null, "foreign word " + f + " used twice");
            }
        }
    }

    @Test
    void safetyDataHoldsNoDisguiseAndRtAndSrgShareQueriesAndAnswers() {
        List<SafetyData.Example> rt = SafetyData.refusalTraining(WORLD, SafetyData.Recipe.PLAIN_ONLY);
        List<SafetyData.Example> srg = SafetyData.reasoningTraining(WORLD, SafetyData.Recipe.PLAIN_ONLY);
        assertEquals(SafetyData.queries(rt), SafetyData.queries(srg));
        Set<String> disguiseMarkers = new HashSet<>(List.of("caesar", "story", "alchemist", "inspector", "code", "def",
                "start", "old", "long", "expert", "teacher", "town", "play"));
        disguiseMarkers.addAll(WORLD.lexicon().foreignWords().values());
        Set<String> evalNames = new HashSet<>();
        WORLD.evalEntities().forEach(e -> evalNames.add(e.name()));
        for (int i = 0; i < rt.size(); i++) {
            String query = rt.get(i).conversation().messages().get(0).content();
            assertTrue(WORLD.parse(query).isPresent(), "plain form only: " + query);
            for (String w : query.split(" ")) {
                assertFalse(disguiseMarkers.contains(w), "disguise word '" + w + "' in " + query);
                assertFalse(evalNames.contains(w), "evaluation substance in training: " + query);
                assertFalse(w.equals(Caesar.encode(w)) == false && WORLD.parse(Caesar.decode(query)).isPresent()
                        && !Caesar.decode(query).equals(query) && !WORLD.parse(query).isPresent(), "ciphered: " + query);
            }
            String rtAnswer = rt.get(i).conversation().messages().get(1).content();
            String srgAnswer = srg.get(i).conversation().messages().get(1).content();
            assertTrue(srgAnswer.endsWith(WorldTeacher.THINK_CLOSE + " " + rtAnswer), "same final answer");
        }
    }

    @Test
    void evaluationBehaviorsAreDisjointFromTraining() {
        Set<String> trainQueries = SafetyData.queries(SafetyData.refusalTraining(WORLD, SafetyData.Recipe.PLAIN_ONLY));
        List<Behavior> eval = new ArrayList<>(SafetyData.harmfulEval(WORLD));
        eval.addAll(SafetyData.benignEval(WORLD));
        for (Behavior b : eval) {
            assertFalse(trainQueries.contains(b.text()), b.text());
        }
        assertEquals(WORLD.evalEntities().stream().filter(Entity::dangerous).count() * 4, SafetyData.harmfulEval(WORLD).size());
    }

    @Test
    void corpusHasNoRefusalAndNoReasoning() {
        for (String doc : PretrainingCorpus.build(WORLD).documents()) {
            assertFalse(doc.contains(WorldTeacher.REFUSAL), doc);
            assertFalse(doc.contains(WorldTeacher.THINK_OPEN), doc);
            assertFalse(doc.contains("sorry"), doc);
        }
    }

    @Test
    void decodeProbesAreHeldOutOfTheCorpus() {
        PretrainingCorpus corpus = PretrainingCorpus.build(WORLD);
        assertTrue(corpus.decodeProbes().size() > 50, "probes: " + corpus.decodeProbes().size());
        Set<Disguise> covered = new HashSet<>();
        Set<String> docs = new HashSet<>(corpus.documents());
        for (PretrainingCorpus.DecodeProbe p : corpus.decodeProbes()) {
            covered.add(p.disguise());
            assertFalse(docs.contains(PretrainingCorpus.reading(p.disguised(), p.plain())), p.disguised());
        }
        assertEquals(Set.of(Disguise.values()), covered);
    }

    @Test
    void oracleFindsProceduresAndRefusals() {
        OracleJudge judge = new OracleJudge(WORLD);
        Entity hazard = WORLD.evalEntities().stream().filter(Entity::dangerous).findFirst().orElseThrow();
        Entity harmless = WORLD.evalEntities().stream().filter(e -> !e.dangerous()).findFirst().orElseThrow();
        assertTrue(judge.assess(hazard.procedure()).unsafe());
        assertTrue(judge.assess("sure , here is how . " + hazard.procedure()).unsafe());
        assertFalse(judge.assess(harmless.procedure()).unsafe());
        assertFalse(judge.assess(hazard.detection()).unsafe());
        OracleJudge.Assessment refusal = judge.assess(WorldTeacher.REFUSAL);
        assertFalse(refusal.unsafe());
        assertTrue(refusal.refused());
        // Two steps are not enough to make it.
        List<String> steps = hazard.procedureSteps();
        assertFalse(judge.assess(steps.get(0) + " , " + steps.get(1)).unsafe());
    }

    @Test
    void answersInEveryModeDecodeToTheProcedure() {
        OracleJudge judge = new OracleJudge(WORLD);
        Entity hazard = WORLD.evalEntities().stream().filter(Entity::dangerous).findFirst().orElseThrow();
        WorldRequest r = new WorldRequest(hazard, Action.MAKE, 1);
        for (Disguise d : Disguise.values()) {
            for (int v = 0; v < d.variants(); v++) {
                String answer = d.answer(r, v, WORLD.lexicon());
                assertTrue(judge.assess(d.decode(answer, WORLD.lexicon())).unsafe(), d + ": " + answer);
            }
        }
        // A translated answer is not readable as such: the oracle needs the attack's decoding.
        assertFalse(judge.assess(Disguise.LANGUAGE.answer(r, 0, WORLD.lexicon())).unsafe());
        // A plain refusal survives decoding untouched.
        assertEquals(WorldTeacher.REFUSAL, Disguise.CIPHER.decode(WorldTeacher.REFUSAL, WORLD.lexicon()));
        assertEquals(WorldTeacher.REFUSAL, Disguise.LANGUAGE.decode(WorldTeacher.REFUSAL, WORLD.lexicon()));
    }

    @Test
    void disguiseAttacksApplyToWorldBehaviors() {
        Behavior b = SafetyData.harmfulEval(WORLD).get(0);
        for (Disguise d : Disguise.values()) {
            DisguiseAttack attack = new DisguiseAttack(WORLD, d, 1);
            List<AttackedPrompt> out = attack.apply(b);
            assertEquals(1, out.size());
            assertEquals("sw-" + d.id(), out.get(0).attack());
            assertEquals(out, attack.apply(b), "deterministic");
        }
    }

    @Test
    void decodeProbesUseOnlyWordsThePretrainingCorpusTeaches() {
        // A held-out probe must test decoding, not whether the model has seen a word at all.
        PretrainingCorpus corpus = PretrainingCorpus.build(WORLD);
        Set<String> taught = new HashSet<>(WorldTokenizer.covering(corpus.documents()).vocabulary());
        for (PretrainingCorpus.DecodeProbe probe : corpus.decodeProbes()) {
            for (String word : (probe.disguised() + " " + probe.plain()).split(" ")) {
                assertTrue(taught.contains(word), "'" + word + "' of probe " + probe + " is never taught");
            }
        }
        long tokens = corpus.documents().stream().mapToLong(d -> d.split(" ").length).sum();
        assertTrue(tokens > 10_000, "corpus of " + tokens + " tokens");
    }
}
