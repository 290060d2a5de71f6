package srg.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import srg.attack.Attack;
import srg.judge.Judge;

/**
 * Attacks and judges beyond srg's catalogues, for a study that brings its own: SafetyWorld's
 * disguises ({@code sw-cipher}, ...) and its oracle judge. The evaluation and the probe ask here
 * first, then the catalogues.
 */
public interface Extensions {

    /** The attack called {@code name} (made deterministic by {@code seed}), or null. */
    Attack attack(String name, long seed);

    /** The judge of {@code spec}, or null. */
    Judge judge(String spec);

    /** What results.json's {@code config.study} records of these extensions (may add nothing). */
    default void describe(ObjectNode study) {}

    /** None: the catalogues alone. */
    Extensions NONE = new Extensions() {
        @Override
        public Attack attack(String name, long seed) {
            return null;
        }

        @Override
        public Judge judge(String spec) {
            return null;
        }
    };
}
