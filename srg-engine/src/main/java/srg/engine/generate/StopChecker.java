package srg.engine.generate;

import java.util.List;
import java.util.Set;
import srg.chat.FinishReason;
import srg.engine.tokenizer.Tokenizer;

/**
 * Decides when a sample ends (end token, stop string, max tokens), finalises its text, and tells
 * how much of an unfinished sample's text is final enough to stream.
 */
final class StopChecker {

    private final Tokenizer tokenizer;
    private final Set<Long> endTokens;

    StopChecker(Tokenizer tokenizer, Set<Long> endTokens) {
        this.tokenizer = tokenizer;
        this.endTokens = endTokens;
    }

    boolean isEnd(long token) {
        return endTokens.contains(token);
    }

    /** Adds the token to the sample; returns whether the sample goes on. */
    boolean accept(Sequence s, long token) {
        List<String> stops = s.job.params().stop();
        s.latest = null;
        if (endTokens.contains(token)) {
            s.text = s.decode(tokenizer);
            s.add(token);
            s.finish = FinishReason.STOP;
            return false;
        }
        s.add(token);
        if (!stops.isEmpty() || s.job.textDeltas()) {
            s.latest = s.decode(tokenizer);
        }
        if (!stops.isEmpty()) {
            int cut = -1;
            for (String stop : stops) {
                int at = s.latest.indexOf(stop);
                if (at >= 0 && (cut < 0 || at < cut)) {
                    cut = at;
                }
            }
            if (cut >= 0) {
                s.text = s.latest.substring(0, cut);
                s.finish = FinishReason.STOP;
                return false;
            }
        }
        if (s.remaining() <= 0) {
            s.text = s.latest != null ? s.latest : s.decode(tokenizer);
            s.finish = FinishReason.LENGTH;
            return false;
        }
        return true;
    }

    /**
     * The text of an unfinished sample that is new and final: what its last decode added past
     * what was given out before, holding back a trailing replacement character (a multi-byte
     * character whose other bytes are still to come) and any ending that could be the start of a
     * stop string (the stop string itself is never part of the text).
     */
    static String delta(Sequence s) {
        String text = s.latest;
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '\uFFFD') {
            end--;
        }
        int hold = 0;
        for (String stop : s.job.params().stop()) {
            for (int k = Math.min(stop.length() - 1, end); k > hold; k--) {
                if (text.regionMatches(end - k, stop, 0, k)) {
                    hold = k;
                    break;
                }
            }
        }
        end -= hold;
        if (end <= s.emitted) {
            return "";
        }
        String out = text.substring(s.emitted, end);
        s.emitted = end;
        return out;
    }

    /** The rest of a sample's final text, given with the token that finished it. */
    static String lastDelta(Sequence s) {
        String out = s.text.length() > s.emitted ? s.text.substring(s.emitted) : "";
        s.emitted = Math.max(s.emitted, s.text.length());
        return out;
    }
}
