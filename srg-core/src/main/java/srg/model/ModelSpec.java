package srg.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import srg.UserError;

/**
 * Which model to talk to, as written on the command line. Three forms:
 *
 * <ul>
 *   <li>{@code PATH} or {@code local:PATH} — a Hugging Face checkpoint folder, run in-process (with
 *       {@code ?adapter=DIR}, a PEFT LoRA adapter merged in memory);
 *   <li>{@code openai:MODEL@URL[,URL...]} — an OpenAI-compatible chat-completions server (vLLM,
 *       SGLang, Ollama, llama.cpp, OpenAI); several base URLs are served round-robin;
 *   <li>{@code sim:refuse=P} — a simulated model that refuses each sample with a per-prompt
 *       probability averaging P; for dry runs, tests and benchmarks, never for results.
 * </ul>
 *
 * <p>Options follow a {@code ?}: {@code ?key=value&key=value}. For every kind, {@code name=ID}
 * sets the model's id in the run store and reports. For {@code openai}: {@code key=ENV_VAR} (the
 * API key's environment variable; default OPENAI_API_KEY when set, else no key),
 * {@code concurrency=N} (requests in flight, default 16), {@code timeout=SECONDS} (per request,
 * default 600), {@code retries=N} (attempts per request, default 6), {@code max-n=N} (most samples
 * per request, default 64; 1 for servers without {@code n}), {@code extra.FIELD=VALUE} (any extra
 * request-body field; the value is parsed as JSON when it is valid JSON, else taken as a string).
 * For {@code sim}: {@code refuse=P}, {@code seed=S}. For local folders: {@code device=cpu|cuda|cuda:N},
 * {@code adapter=DIR}, {@code batch=N} (sequences decoded together, default 32) and
 * {@code dtype=f32|bf16|auto} (the matmul format, default auto: bf16 where the CPU has native
 * BF16, else f32).
 *
 * @param kind which backend
 * @param model the served model name (openai), the folder (local) or "sim"
 * @param baseUrls the servers (openai only)
 * @param options the {@code ?key=value} options, in order
 * @param text the spec as written, for error messages and the run configuration
 */
public record ModelSpec(Kind kind, String model, List<URI> baseUrls, Map<String, String> options, String text) {

    public enum Kind { LOCAL, OPENAI, SIM }

    private static final Set<String> OPENAI_KEYS = Set.of("name", "key", "concurrency", "timeout", "retries", "max-n");
    private static final Set<String> SIM_KEYS = Set.of("name", "refuse", "seed");

    /** The syntax, for {@code --help} texts. */
    public static final String SYNTAX = """
              PATH or local:PATH[?device=cpu|cuda|cuda:N][&adapter=LORA_DIR][&batch=32]
                                [&dtype=f32|bf16|auto]
                  a Hugging Face checkpoint folder, run in-process; batch= sequences
                  are decoded together; dtype= the matmul format (default auto:
                  bf16 where the CPU has native BF16, else f32)
              openai:MODEL@URL[,URL...][?OPTION&OPTION...]
                  an OpenAI-compatible server (vLLM, SGLang, Ollama, llama.cpp,
                  OpenAI); base URLs end in /v1; several are served round-robin.
                  key=ENV_VAR      the API key's environment variable (default:
                                   OPENAI_API_KEY, sent to *.openai.com only)
                  concurrency=16   requests in flight
                  timeout=600      seconds per request
                  retries=6        attempts per request (429, 5xx, timeouts)
                  max-n=64         most samples per request (1: no n support)
                  extra.FIELD=V    extra request-body field; V is JSON or text
              sim:refuse=P[&seed=S]
                  a simulated model refusing with mean probability P
                  (dry runs and benchmarks, never results)
              Every form takes name=ID (e.g. ?name=rt): the model's name in
              the run store and the reports.
            """;


    public ModelSpec {
        baseUrls = List.copyOf(baseUrls);
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** The model's key in the run store and reports. */
    public String id() {
        String name = options.get("name");
        if (name != null) {
            return name;
        }
        return switch (kind) {
            // Extra body fields (chat_template_kwargs, ...) change the answers: part of the key too.
            case OPENAI -> extraBody().isEmpty() ? model : model + new TreeMap<>(extraBody());
            // An adapter makes another model: without name= it must not share the base's samples.
            case LOCAL -> options.containsKey("adapter") ? folderName(model) + "+" + folderName(options.get("adapter")) : folderName(model);
            case SIM -> "sim-refuse" + options.get("refuse");
        };
    }

    private static String folderName(String path) {
        Path p = Path.of(path).toAbsolutePath().normalize();
        return p.getFileName() == null ? path : p.getFileName().toString();
    }

    public String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    public int intOption(String key, int fallback, int min) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError("model '" + text + "': option " + key + "= takes a whole number >= " + min + ", got '" + v + "'");
    }

    public double doubleOption(String key, double fallback, double min, double max) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (d >= min && d <= max) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError("model '" + text + "': option " + key + "= takes a number in [" + min + ", " + max + "], got '" + v + "'");
    }

    /** The {@code extra.FIELD=VALUE} options, without the prefix. */
    public Map<String, String> extraBody() {
        Map<String, String> out = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (k.startsWith("extra.")) {
                out.put(k.substring("extra.".length()), v);
            }
        });
        return out;
    }

    public static ModelSpec parse(String spec) {
        String s = spec.trim();
        if (s.isEmpty()) {
            throw new UserError("empty model spec; expected one of:\n" + SYNTAX);
        }
        int q = s.indexOf('?');
        String head = q < 0 ? s : s.substring(0, q);
        Map<String, String> options = parseOptions(spec, q < 0 ? "" : s.substring(q + 1));
        String lower = head.toLowerCase(Locale.ROOT);
        if (lower.startsWith("openai:")) {
            return openai(spec, head.substring("openai:".length()), options);
        }
        if (lower.startsWith("sim:")) {
            Map<String, String> all = new LinkedHashMap<>(parseOptions(spec, head.substring("sim:".length())));
            all.putAll(options);
            check(spec, all, SIM_KEYS);
            if (!all.containsKey("refuse")) {
                throw new UserError("model '" + spec + "': a simulated model needs refuse=P, e.g. sim:refuse=0.9");
            }
            ModelSpec out = new ModelSpec(Kind.SIM, "sim", List.of(), all, spec);
            out.doubleOption("refuse", 0, 0, 1);
            out.intOption("seed", 0, 0);
            return out;
        }
        String path = lower.startsWith("local:") ? head.substring("local:".length()) : head;
        if (!lower.startsWith("local:") && path.matches("[A-Za-z][A-Za-z0-9+.-]*:.*") && !Path.of(path).toFile().exists()) {
            throw new UserError("model '" + spec + "': unknown kind '" + path.substring(0, path.indexOf(':'))
                    + "'; expected one of:\n" + SYNTAX);
        }
        return new ModelSpec(Kind.LOCAL, path, List.of(), options, spec);
    }

    private static ModelSpec openai(String spec, String rest, Map<String, String> options) {
        int at = rest.indexOf('@');
        if (at <= 0 || at == rest.length() - 1) {
            throw new UserError("model '" + spec + "': expected openai:MODEL@URL[,URL...], e.g. openai:meta-llama/Llama-3.1-8B-Instruct@http://localhost:8000/v1");
        }
        String model = rest.substring(0, at);
        List<URI> urls = new ArrayList<>();
        for (String u : rest.substring(at + 1).split(",")) {
            String url = u.trim();
            while (url.endsWith("/")) {
                url = url.substring(0, url.length() - 1);
            }
            String problem;
            try {
                URI uri = new URI(url);
                problem = baseUrlProblem(uri);
                if (problem == null) {
                    urls.add(uri);
                }
            } catch (URISyntaxException e) {
                problem = e.getReason();
            }
            if (problem != null) {
                throw new UserError("model '" + spec + "': bad base URL '" + url + "' (" + problem + ")");
            }
        }
        for (String key : options.keySet()) {
            if (!OPENAI_KEYS.contains(key) && !key.startsWith("extra.")) {
                throw new UserError("model '" + spec + "': unknown option '" + key + "'; openai models take " + OPENAI_KEYS + " and extra.FIELD");
            }
        }
        ModelSpec out = new ModelSpec(Kind.OPENAI, model, urls, options, spec);
        out.intOption("concurrency", 1, 1);
        out.intOption("timeout", 1, 1);
        out.intOption("retries", 1, 1);
        out.intOption("max-n", 1, 1);
        return out;
    }

    /**
     * Why a server URL cannot be used, or null: checked here, when the spec is read, because the
     * HTTP client would fail only at the first request, with a message that names nothing.
     */
    private static String baseUrlProblem(URI uri) {
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            return "the scheme must be http or https";
        }
        if (uri.getHost() == null) {
            // java.net.URI leaves the host null when the authority is not host[:port], e.g. a port that is not a number
            return uri.getRawAuthority() == null ? "no host" : "'" + uri.getRawAuthority() + "' is not HOST or HOST:PORT";
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            return "port " + uri.getPort() + " is not in 1-65535";
        }
        if (uri.getRawFragment() != null) {
            return "a #fragment cannot be followed by /chat/completions";
        }
        return null;
    }

    private static void check(String spec, Map<String, String> options, Set<String> known) {
        for (String key : options.keySet()) {
            if (!known.contains(key)) {
                throw new UserError("model '" + spec + "': unknown option '" + key + "'; expected one of " + known);
            }
        }
    }

    private static Map<String, String> parseOptions(String spec, String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new UserError("model '" + spec + "': bad option '" + pair + "', expected key=value");
            }
            out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
        }
        return out;
    }
}
