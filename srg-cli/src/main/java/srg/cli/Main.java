package srg.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import srg.engine.Offline;

/** The {@code srg} command. Each subcommand lives in its own class, named after the command. */
@Command(
        name = "srg",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Safety reasoning with guidelines: attack language models with out-of-distribution "
                + "jailbreaks, measure them with Best-of-N sampling, train them to reason about safety, and look "
                + "inside them.",
        subcommands = {
            QuickstartCommand.class,
            StudyCommand.class,
            ModelCommand.class,
            GenerateCommand.class,
            AttackCommand.class,
            EvalCommand.class,
            JudgeCommand.class,
            ReportCommand.class,
            ExportCommand.class,
            SynthCommand.class,
            TrainCommand.class,
            ExportSftCommand.class,
            ProbeCommand.class,
            ServeCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code; tests call this instead of main. */
    public static int run(String... args) {
        Offline.enforce();
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new UserErrorHandler());
        return cli.execute(args);
    }
}
