package srg.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version recorded in the jar manifest, or "dev" when run from classes. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {"srg " + (v == null ? "dev" : v) + ", Java " + Runtime.version()};
    }
}
