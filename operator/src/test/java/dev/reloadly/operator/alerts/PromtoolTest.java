package dev.reloadly.operator.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding promtool, which decides whether PromtoolRulesTest runs or is skipped. */
class PromtoolTest {
  @Test
  void isFoundInTheFirstPathFolderThatHasAnExecutableOne(@TempDir Path dir) throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Path notExecutable = Files.createDirectory(dir.resolve("not-executable"));
    Files.createFile(notExecutable.resolve("promtool"));
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Files.createFile(bin.resolve("promtool"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

    String path = String.join(File.pathSeparator, empty.toString(), notExecutable.toString(), "",
        bin.toString());

    assertThat(Promtool.onPath(path)).get().extracting(Promtool::executable)
        .isEqualTo(bin.resolve("promtool"));
  }

  @Test
  void isMissingWithoutPathOrWithoutAnyPromtool(@TempDir Path dir) {
    assertThat(Promtool.onPath(null)).isEmpty();
    assertThat(Promtool.onPath(dir.toString())).isEmpty();
  }
}
