package srg.serve;

import srg.chat.ThinkTags;

/**
 * Splits a reasoning model's response into {@code reasoning_content} and {@code content}, as
 * vLLM's reasoning parsers do ({@code --reasoning-parser think}). It reads the text as it
 * streams, so a streamed response and a whole one split alike.
 *
 * <p>Reasoning is the text between an opening tag at the start of the response (or at the start
 * of the prompt's end, for templates that open it themselves, as DeepSeek-R1 and QwQ do) and the
 * first closing tag, stripped of surrounding whitespace; the content is what follows, without
 * its leading whitespace. A response that does not start with the opening tag is all content.
 * A reasoning that never closes is all reasoning, with no content.
 */
final class ReasoningParser {

    /** What a piece of text added to each side (empty strings when nothing). */
    record Parts(String reasoning, String content) {
        boolean isEmpty() {
            return reasoning.isEmpty() && content.isEmpty();
        }
    }

    private enum Mode { START, REASONING_START, REASONING, CONTENT_START, CONTENT }

    private final ThinkTags tags;
    private Mode mode;
    private final StringBuilder buffer = new StringBuilder();
    /** Whitespace inside the reasoning not yet known to be followed by more reasoning. */
    private final StringBuilder heldSpace = new StringBuilder();
    private boolean reasoned;

    /**
     * @param promptOpensReasoning whether the rendered prompt already ends with the opening tag
     */
    ReasoningParser(ThinkTags tags, boolean promptOpensReasoning) {
        this.tags = tags;
        this.mode = promptOpensReasoning ? Mode.REASONING_START : Mode.START;
        this.reasoned = promptOpensReasoning;
    }

    /** Whether the rendered prompt leaves the model inside an opened reasoning. */
    static boolean opensReasoning(String prompt, ThinkTags tags) {
        return prompt.stripTrailing().endsWith(tags.open());
    }

    /** Whether any reasoning was seen (so that {@code reasoning_content} is a string, not null). */
    boolean reasoned() {
        return reasoned;
    }

    Parts accept(String delta) {
        buffer.append(delta);
        return run(false);
    }

    /** The end of the response: releases whatever was held back. */
    Parts finish() {
        return run(true);
    }

    private Parts run(boolean end) {
        StringBuilder reasoning = new StringBuilder();
        StringBuilder content = new StringBuilder();
        while (true) {
            switch (mode) {
                case START -> {
                    int text = firstNonSpace();
                    String rest = buffer.substring(text);
                    if (rest.startsWith(tags.open())) {
                        buffer.delete(0, text + tags.open().length());
                        mode = Mode.REASONING_START;
                        reasoned = true;
                    } else if (!end && tags.open().startsWith(rest)) {
                        return parts(reasoning, content); // may still become the opening tag
                    } else {
                        mode = Mode.CONTENT;
                    }
                }
                case REASONING_START, CONTENT_START -> {
                    buffer.delete(0, firstNonSpace());
                    if (buffer.isEmpty()) {
                        return parts(reasoning, content);
                    }
                    mode = mode == Mode.REASONING_START ? Mode.REASONING : Mode.CONTENT;
                }
                case REASONING -> {
                    int close = buffer.indexOf(tags.close());
                    if (close >= 0) {
                        String piece = buffer.substring(0, close).stripTrailing();
                        if (!piece.isEmpty()) {
                            reasoning.append(heldSpace).append(piece);
                        }
                        heldSpace.setLength(0);
                        buffer.delete(0, close + tags.close().length());
                        mode = Mode.CONTENT_START;
                        continue;
                    }
                    int ready = buffer.length() - (end ? 0 : partialTag(tags.close()));
                    String piece = buffer.substring(0, ready);
                    buffer.delete(0, ready);
                    String body = piece.stripTrailing();
                    if (!body.isEmpty()) {
                        reasoning.append(heldSpace).append(body);
                        heldSpace.setLength(0);
                    }
                    if (!end) {
                        heldSpace.append(piece, body.length(), piece.length());
                    }
                    return parts(reasoning, content);
                }
                case CONTENT -> {
                    content.append(buffer);
                    buffer.setLength(0);
                    return parts(reasoning, content);
                }
                default -> throw new IllegalStateException(mode.name());
            }
        }
    }

    private int firstNonSpace() {
        int i = 0;
        while (i < buffer.length() && Character.isWhitespace(buffer.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The length of the longest end of the buffer that could be the start of {@code tag}. */
    private int partialTag(String tag) {
        for (int k = Math.min(tag.length() - 1, buffer.length()); k > 0; k--) {
            if (buffer.substring(buffer.length() - k).equals(tag.substring(0, k))) {
                return k;
            }
        }
        return 0;
    }

    private static Parts parts(StringBuilder reasoning, StringBuilder content) {
        return new Parts(reasoning.toString(), content.toString());
    }
}
