package srg.judge;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import srg.UserError;
import srg.io.ContentHash;

/**
 * The folder one model judge reads its reference prompt files ({@link ReferenceFile}) from: the
 * judge option {@code prompts=DIR}, else {@value #DEFAULT} beside the project root (the
 * {@code srg.home} system property, which the {@code ./srg} launcher sets; without it, the working
 * directory). srg ships none of these files, so a missing one is an error that says what the file
 * is and where it comes from; there is no srg-written stand-in, which would judge differently
 * under the same name. A file whose SHA-256 is not the one srg was checked against is used, with a
 * warning, and marks the judge id so that its verdicts are never stored as the reference judge's.
 */
final class ReferencePrompts {

    /** The judge option naming the folder. */
    static final String OPTION = "prompts";

    /** The folder used without {@code prompts=}, relative to the project root. */
    static final String DEFAULT = "../shared/judge-prompts";

    private final Path dir;
    private final boolean defaulted;
    private final String judge;
    private final Consumer<String> warn;
    private final StringBuilder hashes = new StringBuilder();
    private boolean modified;

    private ReferencePrompts(Path dir, boolean defaulted, String judge, Consumer<String> warn) {
        this.dir = dir;
        this.defaulted = defaulted;
        this.judge = judge;
        this.warn = warn;
    }

    /** The folder {@code spec} names with {@code prompts=}, or the default one; {@code warn} gets one-line warnings. */
    static ReferencePrompts of(JudgeSpec spec, Consumer<String> warn) {
        String option = spec.options().get(OPTION);
        if (option == null) {
            return new ReferencePrompts(defaultDir(), true, spec.text(), warn);
        }
        if (option.isEmpty()) {
            throw new UserError("judge '" + spec.text() + "': " + OPTION + "= needs a folder holding the reference prompt files");
        }
        return new ReferencePrompts(Path.of(option), false, spec.text(), warn);
    }

    static Path defaultDir() {
        return Path.of(System.getProperty("srg.home", ".")).resolve(DEFAULT).normalize();
    }

    /** Reads one file: an error when it is missing or lacks a placeholder, a warning when it is not the reference. */
    ReferencePrompt load(ReferenceFile f) {
        Path path = dir.resolve(f.file);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new UserError("judge '" + judge + "': no reference prompt file " + path
                    + (Files.isDirectory(dir) ? "" : " (no such folder)") + "; srg does not ship it: it is " + f.source
                    + "; " + (defaulted ? "put it there, or point the judge option " + OPTION + "=DIR at a folder that holds it"
                            : "point " + OPTION + "=DIR at a folder that holds it")
                    + " (docs/EVAL.md, Reference prompts)");
        } catch (IOException e) {
            throw new UserError("judge '" + judge + "': cannot read the reference prompt file " + path + " (" + e.getMessage() + ")");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        for (String placeholder : f.placeholders) {
            if (!text.contains(placeholder)) {
                throw new UserError("judge '" + judge + "': the reference prompt file " + path + " has no placeholder " + placeholder
                        + ", so the judge model would not see what it judges; " + f.file + " is " + f.source);
            }
        }
        String sha = ContentHash.ofBytes(bytes);
        hashes.append(sha).append('\n');
        if (!sha.equals(f.sha256)) {
            modified = true;
            warn.accept("judge '" + judge + "': " + path + " is not the reference " + f.file + " (SHA-256 " + sha.substring(0, 16)
                    + "..., expected " + f.sha256.substring(0, 16) + "...); its verdicts are not comparable with published ones,"
                    + " and its judge id carries " + OPTION + "=HASH so that they are stored apart");
        }
        return new ReferencePrompt(path.toString(), text);
    }

    /**
     * The option that marks the judge id when a file read so far is not the reference:
     * {@code prompts=} and the first 8 hex digits of the SHA-256 of their hashes; null when all are.
     */
    String idOption() {
        return modified ? OPTION + "=" + ContentHash.ofBytes(hashes.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 8) : null;
    }

}
