package dev.spirit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The man pages of every command ({@code spirit.1}, {@code spirit-migrate.1}, …), written in roff by the build from the
 * same command model that parses the command line and prints {@code --help}, so the two cannot disagree. Defaults come
 * from the annotations only, never from the building machine's environment or option file.
 */
public final class ManPages {
  private ManPages() {}

  /** {@code ManPages DIR}: writes one page per command into DIR. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    for (Map.Entry<String, String> page : pages().entrySet()) {
      Files.writeString(dir.resolve(page.getKey()), page.getValue(), StandardCharsets.UTF_8);
    }
  }

  /** File name to page text, for the command tree as {@link Main} builds it. */
  static Map<String, String> pages() {
    CommandHandlers none = new CommandHandlers() {
      @Override
      public int migrate(dev.spirit.config.MigrateConfig config) {
        throw new IllegalStateException("man pages run no command");
      }

      @Override
      public int move(dev.spirit.config.MoveConfig config) {
        throw new IllegalStateException("man pages run no command");
      }

      @Override
      public int sentinel(dev.spirit.config.SentinelRequest request, boolean release) {
        throw new IllegalStateException("man pages run no command");
      }
    };
    PrintWriter discard = new PrintWriter(new StringWriter());
    // An empty environment and no arguments: no SPIRIT_* variable or option file of this machine can reach a page.
    CommandLine root = Main.commandLine(discard, discard, Map.of(), none);
    Map<String, String> pages = new java.util.LinkedHashMap<>();
    collect(root, pages);
    return pages;
  }

  private static void collect(CommandLine command, Map<String, String> pages) {
    CommandSpec spec = command.getCommandSpec();
    if (spec.usageMessage().hidden()) {
      return;
    }
    pages.put(spec.qualifiedName("-") + ".1", page(command));
    command.getSubcommands().values().forEach(sub -> collect(sub, pages));
  }

  static String page(CommandLine command) {
    CommandSpec spec = command.getCommandSpec();
    String name = spec.qualifiedName("-");
    String version = spec.root().version().length > 0 ? spec.root().version()[0] : "spirit";
    StringBuilder roff = new StringBuilder();
    roff.append(".TH ").append(quote(name.toUpperCase(java.util.Locale.ROOT))).append(" 1 \"\" ")
        .append(quote(version)).append(" \"Spirit Manual\"\n");
    List<String> description = paragraphs(spec.usageMessage().description());
    roff.append(".SH NAME\n").append(text(name)).append(" \\- ").append(text(summary(spec))).append('\n');
    roff.append(".SH SYNOPSIS\n.nf\n")
        .append(text(command.getHelp().synopsis(0).strip().replaceFirst("^Usage: ", ""))).append("\n.fi\n");
    if (!description.isEmpty()) {
      roff.append(".SH DESCRIPTION\n");
      for (String p : description) {
        roff.append(".PP\n").append(text(p)).append('\n');
      }
    }
    if (!spec.subcommands().isEmpty()) {
      roff.append(".SH COMMANDS\n");
      spec.subcommands().forEach((sub, line) -> {
        if (!line.getCommandSpec().usageMessage().hidden()) {
          roff.append(".TP\n.B ").append(text(sub)).append('\n').append(text(summary(line.getCommandSpec())))
              .append(".\nSee \\fB")
              .append(text(line.getCommandSpec().qualifiedName("-"))).append("\\fR(1).\n");
        }
      });
    }
    List<PositionalParamSpec> positionals = spec.positionalParameters().stream()
        .filter(p -> !p.hidden()).toList();
    if (!positionals.isEmpty()) {
      roff.append(".SH ARGUMENTS\n");
      for (PositionalParamSpec p : positionals) {
        roff.append(".TP\n.I ").append(text(p.paramLabel())).append('\n')
            .append(text(String.join(" ", p.description()))).append('\n');
      }
    }
    roff.append(".SH OPTIONS\n");
    for (OptionSpec option : spec.options()) {
      if (!option.hidden()) {
        roff.append(".TP\n").append(optionHeading(option)).append('\n')
            .append(text(String.join(" ", option.description()) + defaultText(spec, option))).append('\n');
      }
    }
    if (spec.usageMessage().footer().length > 0) {
      roff.append(".SH CONFIGURATION\n");
      for (String p : paragraphs(spec.usageMessage().footer())) {
        roff.append(".PP\n").append(text(p)).append('\n');
      }
    }
    roff.append(".SH EXIT STATUS\n");
    ExitCodeHelp.list().forEach((code, meaning) -> roff.append(".TP\n.B ").append(code).append('\n')
        .append(text(meaning)).append('\n'));
    roff.append(".SH SEE ALSO\n").append(seeAlso(spec)).append('\n');
    return roff.toString();
  }

  private static String optionHeading(OptionSpec option) {
    StringBuilder heading = new StringBuilder();
    for (String n : option.names()) {
      heading.append(heading.length() == 0 ? "" : ", ").append("\\fB").append(text(n)).append("\\fR");
    }
    if (option.typeInfo().isBoolean() && option.arity().max() <= 0) {
      return heading.toString();
    }
    return heading.append("=\\fI").append(text(option.paramLabel())).append("\\fR").toString();
  }

  /** The default as --help shows it, from the annotation only. */
  private static String defaultText(CommandSpec spec, OptionSpec option) {
    boolean shown = option.showDefaultValue() == Visibility.ALWAYS
        || (option.showDefaultValue() == Visibility.ON_DEMAND && spec.usageMessage().showDefaultValues());
    String value = option.defaultValue();
    if (!shown || value == null || value.isEmpty() || option.typeInfo().isBoolean()) {
      return "";
    }
    return " Default: " + value + ".";
  }

  private static String seeAlso(CommandSpec spec) {
    List<String> refs = new ArrayList<>();
    if (spec.parent() != null) {
      refs.add("\\fB" + text(spec.parent().qualifiedName("-")) + "\\fR(1)");
    }
    refs.add("docs/migrate.md, docs/move.md and docs/sentinel.md in the spirit repository");
    return String.join(", ", refs);
  }

  /** Description lines as paragraphs: an empty line separates them. */
  private static List<String> paragraphs(String[] lines) {
    List<String> paragraphs = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      if (line.isBlank()) {
        if (current.length() > 0) {
          paragraphs.add(current.toString());
          current.setLength(0);
        }
      } else {
        current.append(current.length() == 0 ? "" : " ").append(line.strip());
      }
    }
    if (current.length() > 0) {
      paragraphs.add(current.toString());
    }
    return paragraphs;
  }

  /** A command in a line, for NAME and for its parent's COMMANDS: its description's first sentence or clause. */
  private static String summary(CommandSpec spec) {
    List<String> description = paragraphs(spec.usageMessage().description());
    return description.isEmpty() ? spec.qualifiedName("-") : firstSentence(description.get(0));
  }

  private static String firstSentence(String paragraph) {
    int end = paragraph.indexOf(": ");
    int stop = paragraph.indexOf(". ");
    int cut = end < 0 ? stop : stop < 0 ? end : Math.min(end, stop);
    String s = cut < 0 ? paragraph : paragraph.substring(0, cut);
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static String quote(String s) {
    return "\"" + text(s).replace("\"", "\\(dq") + "\"";
  }

  /** Text as roff reads it literally: backslashes, hyphens, and a leading dot or quote escaped. */
  static String text(String s) {
    String escaped = s.replace("\\", "\\e").replace("-", "\\-");
    StringBuilder out = new StringBuilder();
    for (String line : escaped.split("\n", -1)) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(line.startsWith(".") || line.startsWith("'") ? "\\&" : "").append(line);
    }
    return out.toString();
  }
}
