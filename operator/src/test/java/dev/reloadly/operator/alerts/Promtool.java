package dev.reloadly.operator.alerts;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs the real promtool (Debian package prometheus) as a subprocess. */
final class Promtool {
  static final String MISSING = "promtool not on PATH: install Debian package prometheus";
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  /** What one run printed (stdout and stderr together) and how it exited. */
  record Result(int exitCode, String output) {
    boolean succeeded() {
      return exitCode == 0;
    }
  }

  private final Path executable;

  private Promtool(Path executable) {
    this.executable = executable;
  }

  /** promtool from PATH, if there is one. */
  static Optional<Promtool> onPath() {
    return onPath(System.getenv("PATH"));
  }

  /** promtool from the first folder of {@code path} (PATH's syntax) that holds one. */
  static Optional<Promtool> onPath(String path) {
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "promtool");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(new Promtool(candidate));
      }
    }
    return Optional.empty();
  }

  Path executable() {
    return executable;
  }

  /** {@code promtool check rules <files>}. */
  Result checkRules(Path... ruleFiles) throws IOException, InterruptedException {
    return run("check", "rules", ruleFiles);
  }

  /** {@code promtool test rules <files>}; each resolves its rule_files against its own folder. */
  Result testRules(Path... testFiles) throws IOException, InterruptedException {
    return run("test", "rules", testFiles);
  }

  private Result run(String command, String subject, Path... files)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of(executable.toString(), command, subject));
    for (Path file : files) {
      args.add(file.toAbsolutePath().toString());
    }
    // Output goes to a file rather than a pipe, so a talkative run cannot block on a full pipe.
    Path output = Files.createTempFile("promtool", ".out");
    try {
      Process process = new ProcessBuilder(args)
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .start();
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
        return new Result(-1, String.join(" ", args) + " timed out after " + TIMEOUT + "\n"
            + Files.readString(output, StandardCharsets.UTF_8));
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
