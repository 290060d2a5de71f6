package srg.attack;

/** How an attack produces its prompts. */
public enum AttackKind {
    /** A pure function of the behavior and the seed. */
    STATIC,
    /** Uses a helper model (rewriter, translator, persuader). */
    MODEL_ASSISTED,
    /** Loops attacker → target → judge (PAIR). */
    ITERATIVE
}
