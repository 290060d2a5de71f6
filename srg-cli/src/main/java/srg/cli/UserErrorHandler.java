package srg.cli;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import srg.SettingError;
import srg.UserError;

/**
 * Turns mistakes the user can fix (a missing file, a malformed dataset line, a bad flag value)
 * into one clear line on stderr and exit code 2. Anything else is a bug and keeps its stack trace.
 */
final class UserErrorHandler implements IExecutionExceptionHandler {

    static final int USER_ERROR_EXIT = 2;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) throws Exception {
        String message = userMessage(ex, cmd);
        if (message == null) {
            throw ex;
        }
        cmd.getErr().println(cmd.getColorScheme().errorText(cmd.getCommandSpec().qualifiedName() + ": " + message));
        return USER_ERROR_EXIT;
    }

    private static String userMessage(Throwable ex, CommandLine cmd) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof SettingError e) {
                return e.message(setting -> flagOf(cmd, setting));
            }
            if (t instanceof UserError) {
                return t.getMessage();
            }
            if (t instanceof NoSuchFileException e) {
                return "no such file: " + e.getFile();
            }
            if (t instanceof UncheckedIOException && t.getCause() instanceof NoSuchFileException e) {
                return "no such file: " + e.getFile();
            }
        }
        return null;
    }

    /**
     * The command's flag for a setting that core or engine named: settings are named like the
     * flags, with underscores ({@code max_seq_len} is {@code --max-seq-len}). A setting the command
     * has no flag for keeps its name.
     */
    static String flagOf(CommandLine cmd, String setting) {
        String flag = "--" + setting.replace('_', '-');
        return cmd.getCommandSpec().findOption(flag) != null ? flag : setting;
    }
}
