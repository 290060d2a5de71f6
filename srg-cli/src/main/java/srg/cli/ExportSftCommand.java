package srg.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import srg.sft.SftData;
import srg.sft.SftFormat;
import srg.sft.SftReader;
import srg.sft.SftWriter;

/** {@code srg export-sft}: SFT data in the layout another trainer reads. */
@Command(
        name = "export-sft",
        mixinStandardHelpOptions = true,
        description = {
            "Convert SFT data (OpenAI messages, ShareGPT or Alpaca JSONL, detected per file) into one format as JSONL,"
                    + " for training elsewhere:",
            "  openai   {\"messages\": [{\"role\", \"content\"}]}   TRL (conversational), Axolotl (type: chat_template),"
                    + " LLaMA-Factory (sharegpt with openai tags)",
            "  sharegpt {\"conversations\": [{\"from\", \"value\"}]} LLaMA-Factory (formatting: sharegpt), Axolotl",
            "  alpaca   {\"instruction\", \"input\", \"output\", \"system\", \"history\"}  LLaMA-Factory (default),"
                    + " Axolotl (type: alpaca; single-turn only)"
        })
final class ExportSftCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "Input data file.")
    Path data;

    @Option(names = "--format", required = true, description = "openai, sharegpt or alpaca.")
    String format;

    @Option(names = "--out", required = true, description = "Output JSONL file.")
    Path out;

    @Option(names = "--skip-bad", description = "Skip malformed input lines (counted) instead of stopping at the first.")
    boolean skipBad;

    @Override
    public Integer call() throws Exception {
        SftFormat target = SftFormat.parse(format);
        SftData input = SftReader.read(data, skipBad);
        SftWriter.write(input, target, out);
        System.err.printf("wrote %d conversations (%s -> %s) to %s%s%n", input.size(), input.format().wireName(),
                target.wireName(), out, input.skipped() > 0 ? "; skipped " + input.skipped() + " bad lines, first: "
                        + input.skipReasons().get(0) : "");
        return 0;
    }
}
