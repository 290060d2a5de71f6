package srg.cli;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import srg.UserError;

/**
 * Turns mistakes the user can fix (a missing file, a malformed dataset line, a bad flag value)
 * into one clear line on stderr and exit code 2. Anything else is a bug and keeps its stack trace.
 */
final class UserErrorHandler implements IExecutionExceptionHandler {

    static final int USER_ERROR_EXIT = 2;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) throws Exception {
        String message = userMessage(ex);
        if (message == null) {
            throw ex;
        }
        cmd.getErr().println(cmd.getColorScheme().errorText("srg " + cmd.getCommandName() + ": " + message));
        return USER_ERROR_EXIT;
    }

    private static String userMessage(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
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
}
