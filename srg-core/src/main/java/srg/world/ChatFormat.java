package srg.world;

/**
 * SafetyWorld's chat format: role tokens and an end-of-turn token, all words separated by single
 * spaces so that the word-level tokenizer's decode gives back exactly the text encoded.
 */
public final class ChatFormat {

    public static final String USER = "<|user|>";
    public static final String ASSISTANT = "<|assistant|>";
    public static final String SYSTEM = "<|system|>";
    public static final String END = "<|end|>";
    public static final String PAD = "<pad>";
    public static final String UNK = "<unk>";

    /** The Jinja chat template written to tokenizer_config.json; renders exactly like {@link #turn}. */
    public static final String TEMPLATE = "{% for message in messages %}{{ '<|' + message['role'] + '|> ' "
            + "+ message['content'] + ' <|end|> ' }}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}";

    private ChatFormat() {}

    /**
     * One user turn and the assistant's answer, as the corpus writes dialogues. The closing
     * end-of-turn token is left to the pretraining packer, which ends every document with it.
     */
    public static String dialogue(String user, String assistant) {
        return USER + " " + user + " " + END + " " + ASSISTANT + " " + assistant;
    }
}
