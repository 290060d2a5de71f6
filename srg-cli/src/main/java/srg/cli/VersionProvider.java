package srg.cli;

import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import srg.run.Provenance;

/** Reports the version recorded in the jar manifest, or "dev" when run from classes. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {version()};
    }

    /** Who ran a command, for the configurations it writes: its arguments as typed, and this version. */
    static Provenance provenance(CommandSpec spec) {
        return new Provenance(spec.commandLine().getParseResult().originalArgs(), version());
    }

    /** "srg VERSION, Java VERSION", as recorded in the configurations srg writes. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return "srg " + (v == null ? "dev" : v) + ", Java " + Runtime.version();
    }
}
