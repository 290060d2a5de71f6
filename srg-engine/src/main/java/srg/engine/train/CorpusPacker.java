package srg.engine.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import srg.SettingError;
import srg.UserError;
import srg.engine.tokenizer.Tokenizer;
import srg.engine.tokenizer.TokenizerInfo;

/**
 * Pretraining data: documents tokenized, each closed by the eos token (and opened by bos where
 * the tokenizer adds one), concatenated and cut into sequences of a fixed length, as GPT-style
 * pretraining does. The loss is on every token.
 */
public final class CorpusPacker {

    private CorpusPacker() {}

    public static List<TrainingExample> pack(List<String> documents, Tokenizer tokenizer, int sequenceLength) {
        if (sequenceLength < 2) {
            throw SettingError.of("max_seq_len", "must be at least 2 for pretraining, got " + sequenceLength);
        }
        Markers markers = Markers.of(tokenizer);
        long eos = markers.eos();
        long bos = markers.bos();
        List<TrainingExample> out = new ArrayList<>();
        long[] buffer = new long[sequenceLength];
        int filled = 0;
        for (String doc : documents) {
            long[] ids = tokenizer.encode(doc);
            long[] withMarkers = new long[ids.length + 1 + (bos >= 0 ? 1 : 0)];
            int at = 0;
            if (bos >= 0) {
                withMarkers[at++] = bos;
            }
            System.arraycopy(ids, 0, withMarkers, at, ids.length);
            withMarkers[withMarkers.length - 1] = eos;
            for (long id : withMarkers) {
                buffer[filled++] = id;
                if (filled == sequenceLength) {
                    out.add(TrainingExample.allTokens(buffer.clone()));
                    filled = 0;
                }
            }
        }
        if (filled >= 2) {
            out.add(TrainingExample.allTokens(Arrays.copyOf(buffer, filled)));
        }
        return out;
    }

    /**
     * Every token that pretraining on {@code documents} trains on: their tokens and the document
     * markers ({@link EmbeddingFreeze#KNOWN} keeps these rows).
     */
    public static Set<Integer> vocabularyOf(List<String> documents, Tokenizer tokenizer) {
        Markers markers = Markers.of(tokenizer);
        Set<Integer> ids = new HashSet<>();
        ids.add(Math.toIntExact(markers.eos()));
        if (markers.bos() >= 0) {
            ids.add(Math.toIntExact(markers.bos()));
        }
        for (String doc : documents) {
            for (long id : tokenizer.encode(doc)) {
                ids.add(Math.toIntExact(id));
            }
        }
        return ids;
    }

    /** The token closing every document, and the one opening it (-1 where the tokenizer adds none). */
    private record Markers(long eos, long bos) {
        static Markers of(Tokenizer tokenizer) {
            TokenizerInfo info = tokenizer.info();
            long eos = idOf(info, info.eosToken());
            if (eos < 0 && !info.endTokenIds().isEmpty()) {
                eos = info.endTokenIds().get(0);
            }
            if (eos < 0) {
                throw new UserError("the tokenizer has no eos token to separate documents (set eos_token in tokenizer_config.json)");
            }
            return new Markers(eos, info.addBosToken() ? idOf(info, info.bosToken()) : -1);
        }
    }

    private static long idOf(TokenizerInfo info, String token) {
        Integer id = token == null ? null : info.specialTokens().get(token);
        return id == null ? -1 : id;
    }
}
