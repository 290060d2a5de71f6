package srg.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import srg.chat.Conversation;
import srg.data.TextCorpus;
import srg.engine.LocalModel;
import srg.engine.tokenizer.Tokenizer;
import srg.sft.SftData;
import srg.sft.SftConversation;

/**
 * Training examples made from a data file, with the counts a user wants to see: how many records
 * were read, skipped, dropped or truncated for length, and how many tokens the loss covers.
 *
 * @param records records read (conversations, or corpus documents)
 * @param skipped bad records skipped (skip-bad)
 * @param fitted the examples after the length limit, with its counts
 */
public record TrainingData(String kind, int records, int skipped, LengthPolicy.Fitted fitted, int maxLength) {

    /** Conversations with the loss on assistant turns, rendered with the model's chat template. */
    public static TrainingData chat(LocalModel model, SftData data, int maxLength, LengthPolicy policy) {
        ChatEncoder encoder = ChatEncoder.of(model);
        List<TrainingExample> examples = new ArrayList<>(data.size());
        for (SftConversation r : data.records()) {
            examples.add(encoder.encode(r.conversation()));
        }
        return new TrainingData(data.format().wireName() + " conversations", data.size(), data.skipped(),
                policy.apply(examples, maxLength), maxLength);
    }

    /** Conversations given in code (e.g. made by a generator), with the loss on assistant turns. */
    public static TrainingData chat(LocalModel model, List<Conversation> conversations, int maxLength,
            LengthPolicy policy) {
        ChatEncoder encoder = ChatEncoder.of(model);
        List<TrainingExample> examples = new ArrayList<>(conversations.size());
        for (Conversation c : conversations) {
            examples.add(encoder.encode(c));
        }
        return new TrainingData("conversations", conversations.size(), 0, policy.apply(examples, maxLength), maxLength);
    }

    /** A text corpus packed into sequences of {@code maxLength} tokens, the loss on every token. */
    public static TrainingData corpus(Tokenizer tokenizer, TextCorpus corpus, int maxLength) {
        List<TrainingExample> packed = CorpusPacker.pack(corpus.documents(), tokenizer, maxLength);
        return new TrainingData("documents", corpus.documents().size(), corpus.skipped(),
                LengthPolicy.DROP.apply(packed, maxLength), maxLength);
    }

    public List<TrainingExample> examples() {
        return fitted.examples();
    }

    /** One line for the console, e.g. "1200 openai conversations: 1180 kept, 20 dropped (longer than 1024 tokens)...". */
    public String describe() {
        long tokens = 0;
        long targets = 0;
        for (TrainingExample e : examples()) {
            tokens += e.length();
            targets += e.targetCount();
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%d %s", records, kind));
        if (skipped > 0) {
            s.append(String.format(Locale.ROOT, " (+%d bad records skipped)", skipped));
        }
        s.append(String.format(Locale.ROOT, ": %d sequences", examples().size()));
        if (fitted.dropped() > 0) {
            s.append(String.format(Locale.ROOT, ", %d dropped as longer than %d tokens", fitted.dropped(), maxLength));
        }
        if (fitted.truncated() > 0) {
            s.append(String.format(Locale.ROOT, ", %d truncated to %d tokens", fitted.truncated(), maxLength));
        }
        if (fitted.withoutTargets() > 0) {
            s.append(String.format(Locale.ROOT, ", %d without a token to train on", fitted.withoutTargets()));
        }
        s.append(String.format(Locale.ROOT, "; %d tokens, %d in the loss", tokens, targets));
        return s.toString();
    }
}
