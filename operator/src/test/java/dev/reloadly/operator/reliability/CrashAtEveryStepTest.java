package dev.reloadly.operator.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 14, "crash at every step": an operator process killed right after any one of the writes a
 * rotation (or a compromise and its replacement) makes, and a new one started against what the
 * API server then holds, still converges: the new version served, each consumer restarted exactly
 * once for it, the old version retired (or withdrawn and listed); and no write along the way,
 * before or after the crash, breaks a {@link WriteInvariants} promise.
 *
 * <p>The crash points are the writes of a crash-free run of the same story, in order. The default
 * build crashes at every write of the rotation and at {@link #COMPROMISE_SAMPLE} of the
 * compromise; {@code -Preliability} (or {@code -Dreliability.matrix=full}) crashes at every write
 * of both, and once more at every write of both with Reloadly refusing the new process's first
 * token request. Figures go to {@code target/reliability/crash-figures.md}.
 */
class CrashAtEveryStepTest {
  static final boolean FULL = "full".equals(System.getProperty("reliability.matrix"));
  /** The compromise's crash points in the default build: each kind of step once. */
  static final List<String> COMPROMISE_SAMPLE = List.of(
      "deny-list lists A",
      "store: A compromised",
      "target withdrawn",
      "workload checkout restarted for withdrawn A",
      "store: C current",
      "target serves C",
      "workload checkout restarted for C");

  /** What happens to the credential after A is served and rolled out. */
  enum Story {
    ROTATION(run -> run.offerB().convergedOnB(), run -> Map.of(run.versionB, 1)),
    COMPROMISE(run -> run.reportACompromised().offerC().convergedOnC(),
        run -> Map.of("withdrawn-" + run.versionA, 1, run.versionC, 1));

    final Consumer<CrashScenario> play;
    /** How often each workload must have been restarted for each revision, at the end. */
    final Function<CrashScenario, Map<String, Integer>> restarts;

    Story(Consumer<CrashScenario> play, Function<CrashScenario, Map<String, Integer>> restarts) {
      this.play = play;
      this.restarts = restarts;
    }
  }

  private static final List<String> FIGURES = Collections.synchronizedList(new ArrayList<>());
  private static final List<Long> CONVERGED_MS = Collections.synchronizedList(new ArrayList<>());
  private static long writesChecked;
  private static long violations;
  private static long runs;

  @TestFactory
  Stream<DynamicTest> aCrashAfterAnyWriteOfARotationConverges() {
    return crashPointsOf(Story.ROTATION).stream()
        .map(p -> dynamicTest(p.name(), () -> crashAt(Story.ROTATION, p, false)));
  }

  @TestFactory
  Stream<DynamicTest> aCrashAfterAnyWriteOfACompromiseConverges() {
    return crashPointsOf(Story.COMPROMISE).stream()
        .filter(p -> FULL || (p.occurrence() == 1 && COMPROMISE_SAMPLE.contains(p.step())))
        .map(p -> dynamicTest(p.name(), () -> crashAt(Story.COMPROMISE, p, false)));
  }

  /** As both matrices, with Reloadly answering 429 to the new process's first request. */
  @TestFactory
  Stream<DynamicTest> aCrashAfterAnyWriteWithReloadlyDownAtRestartConverges() {
    if (!FULL) {
      return Stream.empty();
    }
    return Stream.of(Story.values()).flatMap(story -> crashPointsOf(story).stream()
        .map(p -> dynamicTest(story + " " + p.name(), () -> crashAt(story, p, true))));
  }

  /**
   * Reloadly is down when the new process needs a token: it was killed after the store promoted
   * B and before the target served it, so the token minted while testing B died with it. The
   * target keeps serving A, complete, and nothing is restarted, until Reloadly answers again.
   * Before the fix in TargetServing, the target was switched to B without a token.
   */
  @Test
  void killedBetweenStoreAndTargetWithReloadlyDownKeepsServingTheOldVersion() {
    try (CrashScenario run = new CrashScenario()) {
      run.servingA().arm(CrashPoint.after("store: A previous, B current"))
          .beforeRestart(() -> run.harness.simulator().rateLimitNext(5, Duration.ofMinutes(1)));
      long asked = run.harness.simulator().totalRequests();
      run.offerB();
      run.drive("the new process was refused a token", () -> run.incarnations() == 2
          && run.reason(Conditions.TOKEN_READY).equals(Conditions.TOKEN_REQUEST_FAILED));
      assertThat(run.harness.simulator().totalRequests()).isGreaterThan(asked + 1);
      assertThat(run.invariants.violations()).as("write invariants").isEmpty();
      assertThat(run.served()).as("the target keeps the old complete version")
          .isEqualTo(run.versionA);
      assertThat(run.invariants.restarts(CrashScenario.CHECKOUT, run.versionB)
          + run.invariants.restarts(CrashScenario.PAYOUTS, run.versionB))
          .as("no workload restarted onto a version the target does not serve").isZero();
      assertThat(run.reason(Conditions.READY)).isEqualTo(Conditions.TOKEN_REQUEST_FAILED);

      run.harness.simulator().clearFaults();
      run.clock.advance(Duration.ofMinutes(2));
      run.touch();
      run.convergedOnB();
      assertConvergedOnce(Story.ROTATION, run);
      count(run);
      FIGURES.add("| ROTATION, Reloadly 429 until the clock passes Retry-After | "
          + "after store: A previous, B current; A held | " + run.front.operatorWrites().size()
          + " | | " + run.invariants.writesChecked() + " | " + run.invariants.violations().size()
          + " |");
    }
  }

  private void crashAt(Story story, CrashPoint point, boolean reloadlyDownAtRestart) {
    try (CrashScenario run = new CrashScenario()) {
      run.servingA().arm(point);
      if (reloadlyDownAtRestart) {
        run.reloadlyDownAtRestart();
      }
      story.play.accept(run);
      assertThat(run.front.crashedAt()).as("the crash point was reached").isNotNull();
      assertThat(run.front.crashedAt().step()).isEqualTo(point.step());
      assertThat(run.incarnations()).isEqualTo(2);
      assertConvergedOnce(story, run);
      record(story, point, run, reloadlyDownAtRestart);
    }
  }

  private static void assertConvergedOnce(Story story, CrashScenario run) {
    assertThat(run.idle()).as("an idle reconcile after convergence writes nothing").isZero();
    for (String workload : CrashScenario.NAMES.deployments()) {
      story.restarts.apply(run).forEach((revision, times) -> assertThat(
          run.invariants.restarts(workload, revision))
          .as(workload + " restarts for " + run.invariants.letter(revision)).isEqualTo(times));
    }
    assertThat(run.invariants.violations()).as("write invariants").isEmpty();
  }

  private static final Map<Story, List<CrashPoint>> POINTS = new HashMap<>();

  /** The writes of the story without a crash, each a crash point (one crash-free run each). */
  private static synchronized List<CrashPoint> crashPointsOf(Story story) {
    return POINTS.computeIfAbsent(story, CrashAtEveryStepTest::recordCrashFree);
  }

  private static List<CrashPoint> recordCrashFree(Story story) {
    try (CrashScenario run = new CrashScenario()) {
      story.play.accept(run.servingA());
      assertConvergedOnce(story, run);
      List<CrashFront.OperatorWrite> writes = run.front.operatorWrites();
      List<CrashPoint> points = new ArrayList<>();
      Map<String, Integer> seen = new HashMap<>();
      for (int i = 0; i < writes.size(); i++) {
        String step = writes.get(i).step();
        String next = i + 1 < writes.size() ? writes.get(i + 1).step() : "";
        points.add(new CrashPoint(i + 1, step, seen.merge(step, 1, Integer::sum),
            halfWay(step, next)));
      }
      count(run);
      FIGURES.add("| " + story + " | none (" + writes.size() + " operator writes) | | | "
          + run.invariants.writesChecked() + " | " + run.invariants.violations().size() + " |");
      return points;
    }
  }

  /** What a crash after {@code step} leaves undone of a step that writes several objects. */
  private static String halfWay(String step, String next) {
    if (step.startsWith("store:") && step.contains("current") && next.startsWith("target")) {
      return "the new version on record, the target not yet written";
    }
    if (step.startsWith("deny-list") && next.startsWith("store")) {
      return "A listed, the store and the target not yet changed";
    }
    if (step.startsWith("store:") && step.contains("compromised") && next.startsWith("target")) {
      return "A compromised in the store, the target still serving it";
    }
    if (step.startsWith("workload") && next.startsWith("workload")) {
      return "1 of 2 workloads restarted";
    }
    return null;
  }

  private static synchronized void count(CrashScenario run) {
    runs++;
    writesChecked += run.invariants.writesChecked();
    violations += run.invariants.violations().size();
  }

  private static void record(Story story, CrashPoint point, CrashScenario run,
      boolean reloadlyDown) {
    long converged = run.convergedAfterRestart().toMillis();
    CONVERGED_MS.add(converged);
    count(run);
    FIGURES.add("| " + story + (!reloadlyDown ? "" : run.refusedAtRestart()
        ? ", Reloadly 429 at restart (asked)" : ", Reloadly 429 at restart (not asked)") + " | "
        + point.name() + " | " + run.front.operatorWrites().size() + " | " + converged + " | "
        + run.invariants.writesChecked() + " | " + run.invariants.violations().size() + " |");
  }

  @AfterAll
  static void writeFigures() throws IOException {
    List<Long> millis = CONVERGED_MS.stream().sorted().toList();
    List<String> lines = new ArrayList<>();
    lines.add("matrix: " + (FULL ? "full" : "default") + "; runs: " + runs + " (crash runs: "
        + millis.size() + "); writes checked: " + writesChecked + "; violations: " + violations
        + (millis.isEmpty() ? "" : "; converged after restart: median "
            + millis.get((millis.size() - 1) / 2) + " ms, max " + millis.get(millis.size() - 1)
            + " ms"));
    lines.add("");
    lines.add("| story | crash point | operator writes | converged after restart (ms)"
        + " | writes checked | violations |");
    lines.add("| --- | --- | --- | --- | --- | --- |");
    lines.addAll(FIGURES);
    Path out = Path.of("target", "reliability", "crash-figures.md");
    Files.createDirectories(out.getParent());
    Files.write(out, lines);
  }
}
