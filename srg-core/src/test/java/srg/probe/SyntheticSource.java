package srg.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import srg.chat.Conversation;

/**
 * A stand-in for a model's hidden states with a planted structure. A prompt starting with
 * {@code harmful:} is shifted by {@link #SHIFT} along axis 0 at every layer; one starting with {@code disguised:}
 * sits with the benign prompts, moved by {@link #DISGUISE} along axis 1, in the shallow layers and along axis 0 (like harmful) from layer
 * {@link #SEES_THROUGH} on, as if the model only recognised the disguise deep down. Everything
 * else is seeded noise, fixed per prompt.
 */
class SyntheticSource implements HiddenStateSource {

    static final int LAYERS = 4;
    static final int HIDDEN = 16;
    static final int SEES_THROUGH = 3;
    // Six noise standard deviations: the classes barely overlap, so figures are stable at small n.
    static final float SHIFT = 6;
    // The disguise moves prompts a little off the benign cluster, along an axis of their own.
    static final float DISGUISE = 1;

    private final String id;
    int calls;
    /** What it says it computes in (null: it does not say). */
    String numerics;

    SyntheticSource(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String numerics() {
        return numerics;
    }

    @Override
    public int numLayers() {
        return LAYERS;
    }

    @Override
    public int hiddenSize() {
        return HIDDEN;
    }

    @Override
    public HiddenStateBatch extract(List<Conversation> conversations, int[] layers) {
        calls++;
        float[][][] last = new float[conversations.size()][layers.length][];
        float[][][] mean = new float[conversations.size()][layers.length][];
        for (int r = 0; r < conversations.size(); r++) {
            Conversation c = conversations.get(r);
            for (int l = 0; l < layers.length; l++) {
                last[r][l] = vector(c, layers[l], 0);
                mean[r][l] = vector(c, layers[l], 1);
            }
        }
        return new HiddenStateBatch(last, mean);
    }

    static float[] vector(Conversation c, int layer, int pooling) {
        SplittableRandom random = new SplittableRandom(c.sha256().hashCode() * 31L + layer * 7L + pooling);
        float[] v = new float[HIDDEN];
        for (int j = 0; j < HIDDEN; j++) {
            v[j] = (float) Gaussians.gaussian(random);
        }
        String text = c.lastUserContent();
        if (text.startsWith("harmful:") || (text.startsWith("disguised:") && layer >= SEES_THROUGH)) {
            v[0] += SHIFT;
        } else if (text.startsWith("disguised:")) {
            v[1] += DISGUISE;
        }
        return v;
    }

    /** A probe set of {@code n} prompts, each {@code prefix + i}. */
    static ProbeSet set(String name, String prefix, boolean harmful, int n) {
        List<ProbePrompt> prompts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            prompts.add(new ProbePrompt("b" + i, harmful, Conversation.user(prefix + " request number " + i)));
        }
        return new ProbeSet(name, prompts);
    }
}
