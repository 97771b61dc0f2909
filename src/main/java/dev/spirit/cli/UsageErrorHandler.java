package dev.spirit.cli;

import dev.spirit.error.ExitCode;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports a bad command line: one line saying what is wrong, one line pointing at the help, exit 2. Never the whole
 * usage text, which buries the one line that matters.
 *
 * <p>A stray argument is not echoed: it may be a password that lost its option (as in {@code --password= secret}).
 * For the same reason an unknown option is shown without its {@code =value}.
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
  private final OptionOrigins origins;

  UsageErrorHandler(OptionOrigins origins) {
    this.origins = origins;
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine command = ex.getCommandLine();
    String name = command.getCommandSpec().qualifiedName();
    PrintWriter err = command.getErr();
    err.println(name + ": " + describe(ex, Arrays.asList(args)));
    err.println("Try '" + name + " --help' for usage.");
    err.flush();
    return ExitCode.USAGE.code();
  }

  private String describe(ParameterException ex, List<String> args) {
    if (ex instanceof UnmatchedArgumentException unmatched) {
      return unmatched(unmatched, args);
    }
    if (ex instanceof MissingParameterException missing && !missing.getMissing().isEmpty()) {
      return label(missing.getMissing().get(0)) + ": needs a value";
    }
    if (ex instanceof OverwrittenOptionException overwritten) {
      return label(overwritten.getOverwritten()) + ": given more than once";
    }
    if (ex.getCause() instanceof TypeConversionException conversion && ex.getArgSpec() instanceof OptionSpec option) {
      String origin = origins.originOf(ex.getCommandLine().getCommandSpec(), option.longestName(), args)
          .map(o -> " (from " + o + ")")
          .orElse("");
      return option.longestName() + ": " + conversion.getMessage() + origin;
    }
    return ex.getMessage();
  }

  private static String unmatched(UnmatchedArgumentException ex, List<String> args) {
    List<String> tokens = ex.getUnmatched();
    Optional<String> option = tokens.stream().filter(t -> t.startsWith("-") && t.length() > 1).findFirst();
    List<String> suggestions = ex.getSuggestions().stream().limit(3).toList();
    String hint = suggestions.isEmpty() ? "" : " (did you mean " + String.join(" or ", suggestions) + "?)";
    if (option.isPresent()) {
      String flag = option.get();
      int eq = flag.indexOf('=');
      return "unknown option '" + (eq < 0 ? flag : flag.substring(0, eq)) + "'" + hint;
    }
    if (!ex.getCommandLine().getSubcommands().isEmpty()) {
      // Only the top command takes a word here, and a command name is no secret.
      return "unknown command '" + tokens.get(0) + "'" + hint;
    }
    int position = tokens.isEmpty() ? -1 : args.indexOf(tokens.get(0)) + 1;
    return "unexpected argument" + (position > 0 ? " at position " + position : "")
        + "; this command takes only options (quote values that contain spaces)";
  }

  private static String label(ArgSpec arg) {
    return arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel();
  }
}
