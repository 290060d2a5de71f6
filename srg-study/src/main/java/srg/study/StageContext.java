package srg.study;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import srg.run.Console;
import srg.run.Provenance;

/**
 * What a stage sees of its study: the study, its folder, the fingerprints and folders of the
 * stages before it, where to report, and values computed once and shared (SafetyWorld's world).
 */
public final class StageContext {

    private final StudyFile.Located located;
    private final Path out;
    private final Console console;
    private final Provenance provenance;
    private final Supplier<Device> device;
    private final Map<String, String> fingerprints = new LinkedHashMap<>();
    private final Map<String, String> folders = new HashMap<>();
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private final Map<String, Object> shared = new HashMap<>();

    StageContext(StudyFile.Located located, Path out, Console console, Provenance provenance, Supplier<Device> device) {
        this.located = located;
        this.out = out;
        this.console = console;
        this.provenance = provenance;
        this.device = device;
    }

    public Study study() {
        return located.study();
    }

    /** Where the study's keys are written, for errors found while a stage runs. */
    public StudyFile.Located located() {
        return located;
    }

    /** The study's folder. */
    public Path out() {
        return out;
    }

    public Console console() {
        return console;
    }

    public Provenance provenance() {
        return provenance;
    }

    /** Where in-process models run (the study's device setting, checked when first needed). */
    public Device device() {
        return device.get();
    }

    /** The fingerprint of an earlier stage. */
    public String fingerprint(String stage) {
        String fp = fingerprints.get(stage);
        if (fp == null) {
            throw new IllegalStateException("stage " + stage + " has no fingerprint yet");
        }
        return fp;
    }

    /** The finished folder of an earlier stage. */
    public Path folder(String stage) {
        String f = folders.get(stage);
        if (f == null) {
            throw new IllegalStateException("no stage " + stage);
        }
        return out.resolve(f);
    }

    /** Whether the study has a stage of that name. */
    public boolean has(String stage) {
        return folders.containsKey(stage);
    }

    /** Seconds each stage has taken in this run (0 when reused), in stage order. */
    public Map<String, Double> seconds() {
        return seconds;
    }

    /** A value computed once per run and shared by the stages (e.g. the generated world). */
    @SuppressWarnings("unchecked")
    public <T> T shared(String key, Supplier<T> make) {
        return (T) shared.computeIfAbsent(key, k -> make.get());
    }

    void record(Stage stage, String fingerprint) {
        fingerprints.put(stage.name(), fingerprint);
        folders.put(stage.name(), stage.folder());
    }

    void declare(Stage stage) {
        folders.put(stage.name(), stage.folder());
    }
}
