package dev.reloadly.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The docs stay navigable: every relative link in the Markdown a reader meets (README, docs/,
 * the chart's and deploy's READMEs) names a file that exists, and every #anchor a heading (as
 * GitHub makes anchors from headings) or an explicit id in that file.
 */
class DocsLinksTest {
  static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern EXPLICIT_ID = Pattern.compile("(?:id|name)=\"([^\"]+)\"");

  @Test
  void everyRelativeLinkResolves() {
    List<String> broken = new ArrayList<>();
    for (Path page : pages()) {
      for (String target : links(page)) {
        String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
        String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
        Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!Files.exists(resolved)) {
          broken.add(ROOT.relativize(page) + " -> " + target + " (no such file)");
        } else if (anchor != null && resolved.toString().endsWith(".md")
            && !anchors(resolved).contains(anchor)) {
          broken.add(ROOT.relativize(page) + " -> " + target + " (no such heading)");
        }
      }
    }
    assertThat(broken).as("broken links").isEmpty();
  }

  @Test
  void theIndexLinksEveryPageOfTheSite() throws IOException {
    String index = Files.readString(ROOT.resolve("docs/index.md"));
    List<String> unlinked = new ArrayList<>();
    try (Stream<Path> files = Files.walk(ROOT.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md"))
          .map(p -> ROOT.resolve("docs").relativize(p).toString())
          .filter(p -> !p.equals("index.md") && !p.contains("README") || p.equals("argocd/README.md"))
          .filter(p -> !index.contains("(" + p + ")") && !index.contains("(" + p + "#"))
          .forEach(unlinked::add);
    }
    assertThat(unlinked).as("pages the index does not link").isEmpty();
  }

  @Test
  void theIssueAsksForTheseDiagrams() throws IOException {
    assertThat(mermaidBlocks("docs/architecture.md")).as("architecture and one reconcile")
        .isGreaterThanOrEqualTo(2);
    assertThat(mermaidBlocks("docs/lifecycle.md")).as("a rotation end to end")
        .isGreaterThanOrEqualTo(1);
  }

  private static long mermaidBlocks(String page) throws IOException {
    return Files.readString(ROOT.resolve(page)).lines().filter(l -> l.strip()
        .equals("```mermaid")).count();
  }

  static List<Path> pages() {
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"),
        ROOT.resolve("deploy/README.md"),
        ROOT.resolve("charts/reloadly-credential-operator/README.md")));
    try (Stream<Path> files = Files.walk(ROOT.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return pages;
  }

  /** Relative link targets outside fenced code blocks. */
  static List<String> links(Path page) {
    List<String> targets = new ArrayList<>();
    boolean fenced = false;
    for (String line : read(page)) {
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", ""));
      while (m.find()) {
        String target = m.group(1);
        if (!target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
          targets.add(target);
        }
      }
    }
    return targets;
  }

  /** GitHub's anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
  static Set<String> anchors(Path page) {
    Set<String> anchors = new HashSet<>();
    boolean fenced = false;
    for (String line : read(page)) {
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      Matcher id = EXPLICIT_ID.matcher(line);
      while (id.find()) {
        anchors.add(id.group(1));
      }
      Matcher h = fenced ? null : HEADING.matcher(line);
      if (h != null && h.matches()) {
        String slug = h.group(1).replaceAll("\\[([^]]*)]\\([^)]*\\)", "$1")
            .toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "")
            .replace(' ', '-');
        String unique = slug;
        for (int n = 1; anchors.contains(unique); n++) {
          unique = slug + "-" + n;
        }
        anchors.add(unique);
      }
    }
    return anchors;
  }

  private static List<String> read(Path page) {
    try {
      return Files.readAllLines(page);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
