package srg.engine.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import srg.io.ContentHash;

/**
 * Where the parity suite's Python environment lives: torch, transformers and PEFT, the reference
 * implementations (for tests and comparisons only, never a dependency of srg). It is
 * {@code ~/.cache/srg/parity-venv-HASH}, keyed by the hash of the pinned requirements file, so
 * that a new pin makes a new environment and every clone on a machine shares one; or the folder
 * the {@code srg.parity.venv} property names. srg-parity creates it (on the first {@code mvn
 * verify}) and marks it complete only once pip succeeded; {@link TransformersBaseline} (the
 * generation benchmark's comparison with transformers) uses it when it is complete.
 */
public final class ReferenceVenv {

    /** The pinned requirements, relative to the checkout's root. */
    public static final String REQUIREMENTS = "srg-parity/src/test/python/requirements.txt";

    private static final String COMPLETE = ".srg-complete";

    private final Path folder;
    private final String hash;

    private ReferenceVenv(Path folder, String hash) {
        this.folder = folder;
        this.hash = hash;
    }

    /** The environment for {@code requirements} (made or not). */
    public static ReferenceVenv of(Path requirements) {
        String hash = ContentHash.ofPath(requirements).substring(0, 12);
        String configured = System.getProperty("srg.parity.venv");
        return new ReferenceVenv(configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "srg", "parity-venv-" + hash), hash);
    }

    public Path folder() {
        return folder;
    }

    public Path python() {
        return folder.resolve("bin").resolve("python");
    }

    /** Whether pip finished installing into it. */
    public boolean complete() {
        return Files.exists(folder.resolve(COMPLETE));
    }

    /** Marks it complete, after pip succeeded. */
    public void markComplete() throws java.io.IOException {
        Files.writeString(folder.resolve(COMPLETE), hash + "\n");
    }
}
