package srg.engine.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jinjava.javax.el.CompositeELResolver;
import srg.UserError;
import srg.chat.Conversation;
import srg.chat.Message;

/**
 * Renders a conversation with the model's own chat template from {@code tokenizer_config.json},
 * the way transformers' {@code apply_chat_template} does: Jinja with trim_blocks and
 * lstrip_blocks, {@code bos_token}/{@code eos_token} in scope, {@code add_generation_prompt}.
 *
 * <p>jinjava is close to Jinja but not identical; the gaps that real templates hit are bridged
 * here: Python string and dict methods ({@link PythonMethods}), reversed slices
 * ({@code xs[::-1]}), named arguments of {@code namespace(...)} that jinjava would otherwise
 * parse with the wrong precedence, and the {@code raise_exception} / {@code strftime_now}
 * helpers that transformers provides.
 *
 * <p>Models without a template get {@link #PLAIN}, a simple role-prefixed format.
 */
public final class ChatTemplate {

    /**
     * Fallback for base models without a chat template. Assistant turns end with the eos token so
     * that a model fine-tuned on this format learns where its answer stops.
     */
    public static final String PLAIN = "{{ bos_token }}{% for message in messages %}"
            + "{{ message['role'] | capitalize }}: {{ message['content'] }}"
            + "{{ eos_token if message['role'] == 'assistant' else '' }}\n\n{% endfor %}"
            + "{% if add_generation_prompt %}Assistant:{% endif %}";

    private static final Jinjava JINJAVA = createEngine();
    private static final ThreadLocal<String> RAISED = new ThreadLocal<>();

    private final String source;
    private final String adapted;
    private final String bosToken;
    private final String eosToken;
    private final String origin;

    public ChatTemplate(String source, String bosToken, String eosToken, String origin) {
        this.source = source;
        this.adapted = adapt(source);
        this.bosToken = bosToken == null ? "" : bosToken;
        this.eosToken = eosToken == null ? "" : eosToken;
        this.origin = origin;
    }

    /** The model's template, or the plain format when it has none. */
    public static ChatTemplate of(TokenizerInfo info, String origin) {
        if (info.chatTemplate() == null) {
            return new ChatTemplate(PLAIN, info.addBosToken() ? info.bosToken() : "", info.eosToken(), "plain format");
        }
        return new ChatTemplate(info.chatTemplate(), info.bosToken(), info.eosToken(), origin);
    }

    public String source() {
        return source;
    }

    public boolean isPlain() {
        return source.equals(PLAIN);
    }

    public String render(Conversation conversation, boolean addGenerationPrompt) {
        return render(conversation, addGenerationPrompt, Map.of());
    }

    /**
     * Renders the conversation. {@code extra} adds template variables, e.g.
     * {@code enable_thinking=false} for Qwen3.
     */
    public String render(Conversation conversation, boolean addGenerationPrompt, Map<String, Object> extra) {
        List<Map<String, Object>> messages = new ArrayList<>();
        for (Message m : conversation.messages()) {
            Map<String, Object> msg = new LinkedHashMap<>();
            msg.put("role", m.role());
            msg.put("content", m.content());
            messages.add(msg);
        }
        Map<String, Object> context = new HashMap<>(extra);
        context.put("messages", messages);
        context.put("add_generation_prompt", addGenerationPrompt);
        context.put("bos_token", bosToken);
        context.put("eos_token", eosToken);
        RAISED.remove();
        RenderResult result = JINJAVA.renderForResult(adapted, context);
        String raised = RAISED.get();
        RAISED.remove();
        if (raised != null) {
            throw new UserError("the chat template of " + origin + " rejected the conversation: " + raised);
        }
        for (TemplateError e : result.getErrors()) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new UserError("chat template of " + origin + " failed at line " + e.getLineno() + ": "
                        + e.getMessage());
            }
        }
        return result.getOutput();
    }

    private static Jinjava createEngine() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_WRITE);
        Jinjava engine = new Jinjava(JinjavaConfig.newBuilder()
                // transformers renders with trim_blocks=True and lstrip_blocks=True.
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                // jinjava would otherwise render template syntax found in a message's text
                // ("{{ x }}" in a prompt): Jinja prints it as it is, and so must we.
                .withNestedInterpretationEnabled(false)
                .withElResolver(resolver)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withParseWhitespaceControlStrictly(true)
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withUseNaturalOperatorPrecedence(true)
                        .withKeepNullableLoopValues(true)
                        .build())
                .build());
        engine.getGlobalContext().registerFunction(new ELFunctionDefinition(
                "", "raise_exception", ChatTemplate.class, "raiseException", String.class));
        engine.getGlobalContext().registerFunction(new ELFunctionDefinition(
                "", "strftime_now", ChatTemplate.class, "strftimeNow", String.class));
        return engine;
    }

    /**
     * transformers' {@code raise_exception}: a template refusing the conversation. jinjava swallows
     * exceptions thrown by functions, so the message is carried out of the render on the thread.
     */
    public static String raiseException(String message) {
        if (RAISED.get() == null) {
            RAISED.set(message);
        }
        return "";
    }

    /** transformers' {@code strftime_now}, for the date codes chat templates use. */
    public static String strftimeNow(String format) {
        ZonedDateTime now = ZonedDateTime.now();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char code = format.charAt(++i);
            String pattern = switch (code) {
                case 'd' -> "dd";
                case 'm' -> "MM";
                case 'Y' -> "yyyy";
                case 'y' -> "yy";
                case 'b' -> "MMM";
                case 'B' -> "MMMM";
                case 'a' -> "EEE";
                case 'A' -> "EEEE";
                case 'H' -> "HH";
                case 'M' -> "mm";
                case 'S' -> "ss";
                default -> null;
            };
            out.append(pattern == null ? "%" + code : now.format(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH)));
        }
        return out.toString();
    }

    /** Rewrites the Python-only syntax jinjava cannot parse into equivalent jinjava syntax. */
    static String adapt(String template) {
        String t = template.replaceAll("\\[\\s*::\\s*-1\\s*]", "|reverse");
        return parenthesizeNamespaceArguments(t);
    }

    /**
     * {@code namespace(a=x|length - 1)} means {@code a=((x|length) - 1)} in Jinja; jinjava binds
     * {@code a=x|length} first. Wrapping each argument value in parentheses restores Jinja's
     * reading.
     */
    static String parenthesizeNamespaceArguments(String t) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (true) {
            int call = t.indexOf("namespace(", from);
            int open = call + "namespace(".length();
            Arguments args = call < 0 ? null : Arguments.scan(t, open);
            if (args == null) {
                out.append(t, from, t.length());
                return out.toString();
            }
            out.append(t, from, open);
            for (int i = 0; i < args.parts().size(); i++) {
                String arg = args.parts().get(i);
                int eq = namedArgumentEquals(arg);
                out.append(i == 0 ? "" : ", ");
                out.append(eq < 0 ? arg.trim() : arg.substring(0, eq).trim() + "=(" + arg.substring(eq + 1).trim() + ")");
            }
            out.append(')');
            from = args.close() + 1;
        }
    }

    /** The top-level comma-separated arguments of a call, and the index of its closing parenthesis. */
    private record Arguments(List<String> parts, int close) {

        /** Scans from just after an opening parenthesis; null when it is never closed. */
        static Arguments scan(String t, int from) {
            List<String> parts = new ArrayList<>();
            int depth = 1;
            char quote = 0;
            int start = from;
            for (int i = from; i < t.length(); i++) {
                char c = t.charAt(i);
                if (quote != 0) {
                    if (c == '\\') {
                        i++;
                    } else if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '(' || c == '[' || c == '{') {
                    depth++;
                } else if (c == ')' || c == ']' || c == '}') {
                    if (--depth == 0) {
                        if (!t.substring(start, i).isBlank()) {
                            parts.add(t.substring(start, i));
                        }
                        return new Arguments(parts, i);
                    }
                } else if (c == ',' && depth == 1) {
                    parts.add(t.substring(start, i));
                    start = i + 1;
                }
            }
            return null;
        }
    }

    /** Index of the '=' of {@code name=value}, or -1 (ignoring '==' and quoted text). */
    private static int namedArgumentEquals(String arg) {
        int eq = arg.indexOf('=');
        if (eq <= 0 || (eq + 1 < arg.length() && arg.charAt(eq + 1) == '=')) {
            return -1;
        }
        return arg.substring(0, eq).trim().matches("[A-Za-z_][A-Za-z0-9_]*") ? eq : -1;
    }
}
