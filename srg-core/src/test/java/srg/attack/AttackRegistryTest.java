package srg.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import srg.UserError;
import srg.attack.pair.PairAttack;
import srg.data.Behavior;

class AttackRegistryTest {

    static final AttackOptions OPTIONS = AttackOptions.seeded(1);

    static String error(String list, AttackOptions options) {
        return assertThrows(UserError.class, () -> AttackRegistry.parse(list, options)).getMessage();
    }

    @Test
    void parsesListsCompositesAndParameters() {
        List<Attack> attacks = AttackRegistry.parse(" none, caesar[shift=5] ,roleplay[template=grandmother]+base64,deepinception[scene=a heist film, layers=2]", OPTIONS);
        assertEquals(List.of("none", "caesar[shift=5]", "roleplay[template=grandmother]+base64", "deepinception[scene=a heist film, layers=2]"),
                attacks.stream().map(Attack::name).toList());
        assertEquals(5, attacks.get(1).params().get("shift"));
        assertTrue(attacks.get(2) instanceof ComposedAttack);
        assertEquals("a heist film", attacks.get(3).params().get("scene"));
        assertEquals(2, attacks.get(3).params().get("layers"));
    }

    @Test
    void unknownAttackListsTheKnownOnes() {
        String message = error("none,cesar", OPTIONS);
        assertTrue(message.startsWith("unknown attack 'cesar'; known attacks: none, roleplay, "), message);
        for (String name : AttackRegistry.names()) {
            assertTrue(message.contains(name), name);
        }
    }

    @Test
    void badParametersAreUserErrors() {
        assertEquals("attack caesar[shfit=5]: unknown parameter 'shfit'; known: demos, shift", error("caesar[shfit=5]", OPTIONS));
        assertEquals("attack caesar[shift=30]: parameter shift=30 must be in [1, 25]", error("caesar[shift=30]", OPTIONS));
        assertEquals("attack caesar[shift=x]: parameter shift=x is not a whole number", error("caesar[shift=x]", OPTIONS));
        assertEquals("attack atbash[x=1]: unknown parameter 'x'; known: demos", error("atbash[x=1]", OPTIONS));
        assertEquals("attack none[x=1]: unknown parameter 'x'; none takes no parameters", error("none[x=1]", OPTIONS));
        assertTrue(error("codeattack[structure=tree]", OPTIONS).contains("must be one of list, stack, string"));
        assertTrue(error("roleplay[template=nosuch]", OPTIONS).startsWith("unknown template 'nosuch'; known: unbound, "));
        assertTrue(error("pap[technique=bribery]", OPTIONS.withAttacker(ScriptedChatModel.of("m", p -> ""))).contains("unknown technique 'bribery'"));
    }

    @Test
    void malformedListsAreUserErrors() {
        assertTrue(error("", OPTIONS).contains("empty"));
        assertTrue(error("none,,caesar", OPTIONS).contains("empty attack name"));
        assertTrue(error("caesar[shift=3", OPTIONS).contains("missing ']'"));
        assertTrue(error("caesar]", OPTIONS).contains("unbalanced ']'"));
        assertTrue(error("caesar[shift]", OPTIONS).contains("must be key=value"));
        assertTrue(error("none,none", OPTIONS).contains("listed twice"));
    }

    @Test
    void missingModelsAndFilesAreNamed() {
        assertEquals("attacker: attack pap needs an attacker model to write the persuasive paraphrases", error("pap", OPTIONS));
        assertEquals("translator: attack translation needs a translator model (or an attacker model)", error("translation", OPTIONS));
        assertEquals("attacker: attack past-tense[rewriter=model] needs a rewriter model, or rewriter=rules",
                error("past-tense[rewriter=model]", OPTIONS));
        assertTrue(error("few-shot", OPTIONS).startsWith("demos: attack few-shot needs a demonstrations file"));
        assertTrue(error("pair", OPTIONS).startsWith("attacker: attack pair needs an attacker model, which also judges"));
    }

    @Test
    void pairIsIterativeAndCannotBeComposed() {
        ScriptedChatModel m = ScriptedChatModel.of("m", p -> "");
        AttackOptions full = OPTIONS.withAttacker(m).withTargetAndJudge(m, m);
        Attack pair = AttackRegistry.parse("pair[streams=2,depth=1]", full).get(0);
        assertTrue(pair instanceof PairAttack);
        assertEquals(AttackKind.ITERATIVE, pair.kind());
        assertTrue(error("roleplay+pair", full).contains("cannot be part of a composite"));

        // Without a target it waits to be aimed (srg eval aims it at each model it evaluates).
        Attack unaimed = AttackRegistry.parse("pair", OPTIONS.withAttacker(m)).get(0);
        Behavior b = Behavior.harmful("x", "do x", "");
        assertTrue(assertThrows(UserError.class, () -> unaimed.apply(b)).getMessage().contains("has no target"));
        assertEquals("m", unaimed.against(m).params().get("target"));
        assertEquals("m", unaimed.params().get("judge"), "the attacker judges when no judge is given");
    }

    @Test
    void catalogueCoversEveryAttackOfTheIssue() {
        assertEquals(List.of("none", "roleplay", "refusal-suppression", "prefix-injection", "few-shot", "many-shot",
                "self-cipher", "caesar", "atbash", "morse", "ascii", "utf8-hex", "base64", "rot13", "leetspeak",
                "codeattack", "codechameleon", "deepinception", "past-tense", "pap", "translation", "pair"), AttackRegistry.names());
        for (AttackRegistry.Entry e : AttackRegistry.catalogue()) {
            assertTrue(e.reference().matches(".*(19|20)\\d\\d.*"), e.name() + " cites a dated paper: " + e.reference());
        }
    }

    @Test
    void compositeKindIsTheStrongestLayer() {
        ScriptedChatModel m = ScriptedChatModel.of("m", p -> "<rewrite>x</rewrite>");
        Attack a = AttackRegistry.parse("base64+past-tense", OPTIONS.withAttacker(m)).get(0);
        assertEquals(AttackKind.MODEL_ASSISTED, a.kind());
        assertEquals(AttackKind.STATIC, AttackRegistry.parse("base64+past-tense", OPTIONS).get(0).kind(), "rules fallback is static");
    }
}
