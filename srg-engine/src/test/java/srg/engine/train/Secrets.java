package srg.engine.train;

import java.util.ArrayList;
import java.util.List;
import srg.chat.Conversation;
import srg.chat.Message;

/** Sixteen question/answer pairs over a small word list: the training tests' dataset. */
final class Secrets {

    static final String[] ITEMS = {"apple", "river", "stone", "cloud", "tiger", "piano", "glass", "candle",
        "forest", "engine", "mirror", "garden", "rocket", "violin", "bridge", "desert"};
    static final String[] FIRST = {"red", "blue", "green", "gold", "silver", "black", "white", "pink",
        "amber", "teal", "ivory", "olive", "coral", "navy", "plum", "rust"};
    static final String[] SECOND = {"one", "two", "three", "four", "five", "six", "seven", "eight",
        "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"};

    private Secrets() {}

    static List<Conversation> conversations() {
        List<Conversation> out = new ArrayList<>();
        for (int i = 0; i < ITEMS.length; i++) {
            out.add(Conversation.of(Message.user(question(i)), Message.assistant(answer(i))));
        }
        return out;
    }

    static String question(int i) {
        return "what is the secret of " + ITEMS[i];
    }

    static String answer(int i) {
        return "the secret of " + ITEMS[i] + " is " + FIRST[i] + " " + SECOND[(i * 5) % 16];
    }

    static List<String> vocabulary() {
        List<String> words = WordModels.words("what is the secret of");
        words.addAll(List.of(ITEMS));
        words.addAll(List.of(FIRST));
        words.addAll(List.of(SECOND));
        return words;
    }
}
