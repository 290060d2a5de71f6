package srg.cli;

import picocli.CommandLine.Command;

/** {@code srg judge}: commands about judges. */
@Command(
        name = "judge",
        mixinStandardHelpOptions = true,
        description = "Judges: validate a judge against human labels, train and measure the refusal classifier.",
        subcommands = {JudgeValidateCommand.class, JudgeTrainCommand.class, JudgeLomoCommand.class})
final class JudgeCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
