package dev.reloadly.operator.rollout;

import static dev.reloadly.operator.api.v1alpha1.Conditions.ROLLOUT_COMPLETE;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.ConsumerStatus;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.RolloutStatus;
import dev.reloadly.operator.api.v1alpha1.RolloutStrategy;
import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import dev.reloadly.operator.api.v1alpha1.WorkloadRolloutStatus;
import dev.reloadly.operator.lifecycle.ConditionUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Rolls the workloads that consume a credential onto what its target Secret serves now: once per
 * version (and once per token for workloads that read the token through environment variables),
 * after a short delay that coalesces changes, at most {@code maxConcurrent} at a time, each
 * checked healthy. Kubernetes-free apart from {@link WorkloadActions}: status in, status out.
 */
public final class ConsumerRollout {
  /** While pods are being evicted (they are not watched), the next step is looked at this soon. */
  static final Duration EVICT_STEP = Duration.ofSeconds(5);
  /**
   * How often a credential waiting for the operator-wide cap looks again. Another credential's
   * workload finishing frees the place, and nothing tells this one: without a look-again it
   * waited for an unrelated event, hours away (found by ApiFaultsTest, 25 rotations, cap 10).
   */
  static final Duration CAP_WAIT = Duration.ofSeconds(10);
  static final String INITIAL = "initial";
  static final String VERSION = "version";
  static final String TOKEN = "token";
  static final String COMPROMISE = "compromise";

  private final WorkloadActions actions;
  private final RolloutSlots slots;

  public ConsumerRollout(WorkloadActions actions, RolloutSlots slots) {
    this.actions = actions;
    this.slots = slots;
  }

  /**
   * What the target Secret serves.
   *
   * @param revision the served version's fingerprint, {@code withdrawn-<fingerprint>} after a
   *     compromise left nothing to serve, or null when nothing was ever served
   * @param tokenIssuedAt when the served token was minted; null when no token is served
   * @param compromised whether a fingerprint is compromised (a change away from one is urgent)
   */
  public record Served(String revision, Instant tokenIssuedAt, Predicate<String> compromised) {}

  /**
   * @param key namespace/name of the credential, for the operator-wide cap
   * @param previous status.consumers and status.rollout as last written (may be empty / null)
   */
  public record Input(String key, ConsumerPolicy policy, List<Consumer> consumers, Served served,
      List<ConsumerStatus> previousConsumers, RolloutStatus previous, Instant now) {}

  /**
   * @param consumers the new status.consumers
   * @param rollout the new status.rollout (null while nothing was ever served)
   * @param warnings Events to record: a newly found undeclared reader, a stalled workload
   * @param settledAt when every consumer was healthy on the served revision; empty while not
   */
  public record Result(List<ConsumerStatus> consumers, RolloutStatus rollout,
      ConditionUpdate condition, Optional<Instant> nextDue, List<ConditionUpdate> warnings,
      boolean stalled) {}

  public Result roll(Input in) {
    List<ConditionUpdate> warnings = new ArrayList<>();
    Set<String> known = in.previousConsumers().stream()
        .map(c -> c.getKind() + "/" + c.getName()).collect(Collectors.toSet());
    List<ConsumerStatus> consumers = new ArrayList<>();
    for (Consumer c : in.consumers()) {
      consumers.add(new ConsumerStatus(c.kind().name(), c.name(), c.readsWord(), c.declared()));
      if (!c.declared() && !known.contains(c.key())) {
        warnings.add(new ConditionUpdate(ROLLOUT_COMPLETE, false, Conditions.UNDECLARED_CONSUMER,
            c.key() + " reads the target Secret (" + c.reads().word() + ") but is not named in"
                + " spec.consumers; it is " + (c.rolled() ? "restarted with the others"
                : "not restarted (set consumers.includeDiscovered, or declare it)")));
      }
    }
    String revision = in.served().revision();
    if (revision == null) {
      slots.forget(in.key());
      return new Result(consumers, in.previous(), new ConditionUpdate(ROLLOUT_COMPLETE, true,
          Conditions.NO_CONSUMERS, "nothing is served yet, so nothing is rolled"),
          Optional.empty(), warnings, false);
    }
    String token = in.served().tokenIssuedAt() == null ? null
        : String.valueOf(in.served().tokenIssuedAt().getEpochSecond());
    RolloutStatus next = begin(in, revision, token);
    return progress(in, next, token, consumers, warnings);
  }

  /** The rollout to work on: the previous one, or a new one when the served content changed. */
  private RolloutStatus begin(Input in, String revision, String token) {
    RolloutStatus prev = in.previous();
    if (prev == null || prev.getRevision() == null) {
      // The first version: its consumers could not start without it, so none is restarted.
      RolloutStatus first = new RolloutStatus();
      first.setRevision(revision);
      first.setTrigger(INITIAL);
      first.setTokenIssuedAt(token);
      first.setDetectedAt(in.now().toString());
      first.setCompletedAt(in.now().toString());
      return first;
    }
    boolean versionChanged = !revision.equals(prev.getRevision());
    boolean tokenChanged = !versionChanged && token != null
        && !token.equals(prev.getTokenIssuedAt());
    if (!versionChanged && !tokenChanged) {
      return withLateConsumers(in, copy(prev), revision, token);
    }
    // After a compromise the workloads hold a leaked credential, or none at all: no waiting.
    boolean urgent = revision.startsWith(Revisions.WITHDRAWN)
        || prev.getRevision().startsWith(Revisions.WITHDRAWN)
        || in.served().compromised().test(prev.getRevision())
        || (COMPROMISE.equals(prev.getTrigger()) && prev.getCompletedAt() == null);
    boolean notStarted = prev.getCompletedAt() == null
        && prev.getWorkloads().stream().allMatch(w -> w.getStartedAt() == null);
    RolloutStatus next = new RolloutStatus();
    next.setRevision(revision);
    next.setTokenIssuedAt(token);
    next.setTrigger(urgent ? COMPROMISE : versionChanged || VERSION.equals(prev.getTrigger())
        && prev.getCompletedAt() == null ? VERSION : TOKEN);
    // A change that arrives before the restarts began joins them: one restart per workload.
    next.setDetectedAt(notStarted ? prev.getDetectedAt() : in.now().toString());
    boolean all = !TOKEN.equals(next.getTrigger());
    Map<String, WorkloadRolloutStatus> before = prev.getWorkloads().stream()
        .collect(Collectors.toMap(w -> w.getKind() + "/" + w.getName(), Function.identity(),
            (a, b) -> a));
    for (Consumer c : in.consumers()) {
      if (!c.rolled() || c.workload().isEmpty() || !(all || c.reads().tokenByEnv())) {
        continue;
      }
      String want = Revisions.want(revision, token, c.reads());
      WorkloadRolloutStatus entry = new WorkloadRolloutStatus(c.kind().name(), c.name());
      entry.setRevision(want);
      WorkloadRolloutStatus earlier = before.get(c.key());
      if (earlier != null && want.equals(earlier.getRevision())) {
        entry = earlier.copy();
      }
      next.getWorkloads().add(entry);
    }
    return next;
  }

  /**
   * Adds the consumers this rollout must still restart although it began without them: declared
   * ones that status.consumers listed as missing and that are there now, not restarted for it.
   * A workload the operator's cache had not seen yet (a watch broken for a second while a
   * version was served) used to be left out for good: the rollout completed without it and it
   * kept the old credential (found by ApiFaultsTest). A workload created after the rollout gets
   * one restart it did not need; that is the price of not missing one.
   */
  private static RolloutStatus withLateConsumers(Input in, RolloutStatus rollout,
      String revision, String token) {
    if (INITIAL.equals(rollout.getTrigger())) {
      return rollout;
    }
    boolean all = !TOKEN.equals(rollout.getTrigger());
    java.util.Set<String> missingBefore = in.previousConsumers().stream()
        .filter(c -> "missing".equals(c.getReads()))
        .map(c -> c.getKind() + "/" + c.getName()).collect(Collectors.toSet());
    java.util.Set<String> entries = rollout.getWorkloads().stream()
        .map(w -> w.getKind() + "/" + w.getName()).collect(Collectors.toSet());
    for (Consumer c : in.consumers()) {
      if (!c.rolled() || c.workload().isEmpty() || !missingBefore.contains(c.key())
          || entries.contains(c.key()) || !(all || c.reads().tokenByEnv())) {
        continue;
      }
      String want = Revisions.want(revision, token, c.reads());
      if (want.equals(c.workload().get().restartedFor())) {
        continue;
      }
      WorkloadRolloutStatus entry = new WorkloadRolloutStatus(c.kind().name(), c.name());
      entry.setRevision(want);
      rollout.getWorkloads().add(entry);
      rollout.setCompletedAt(null);
    }
    return rollout;
  }

  private Result progress(Input in, RolloutStatus next, String token,
      List<ConsumerStatus> consumers, List<ConditionUpdate> warnings) {
    Instant now = in.now();
    if (next.getCompletedAt() != null) {
      slots.forget(in.key());
      return new Result(consumers, next, settled(next, in), Optional.empty(), warnings, false);
    }
    if (next.getWorkloads().isEmpty()) {
      // Nothing to restart: rolled out at once (the previous version's grace period starts now).
      next.setCompletedAt(now.toString());
      slots.forget(in.key());
      return new Result(consumers, next, settled(next, in), Optional.empty(), warnings, false);
    }
    boolean urgent = COMPROMISE.equals(next.getTrigger());
    Instant start = urgent ? now : Instant.parse(next.getDetectedAt()).plus(in.policy().delay());
    if (now.isBefore(start)) {
      return new Result(consumers, next, new ConditionUpdate(ROLLOUT_COMPLETE, false,
          Conditions.ROLLOUT_PENDING, next.getWorkloads().size() + " workload(s) restart at "
              + start + " (consumers.delay coalesces changes)"), Optional.of(start), warnings,
          false);
    }
    Map<String, Consumer> byKey = in.consumers().stream()
        .collect(Collectors.toMap(Consumer::key, Function.identity(), (a, b) -> a));
    RolloutStrategy strategy = in.policy().strategy();
    Progress progress = new Progress(in, warnings);
    // First the workloads already rolling (one finishing frees its place), then new ones.
    for (WorkloadRolloutStatus entry : next.getWorkloads()) {
      if (entry.getStartedAt() != null && entry.getFinishedAt() == null) {
        Optional<Workload> w = present(entry, byKey, now);
        w.ifPresent(workload -> progress.check(entry, workload));
      }
    }
    int rolling = (int) next.getWorkloads().stream()
        .filter(w -> w.getStartedAt() != null && w.getFinishedAt() == null).count();
    int ownFree = in.policy().maxConcurrent() - rolling;
    int free = urgent ? Integer.MAX_VALUE : Math.min(ownFree, slots.free(in.key()));
    boolean waitsForOthers = false;
    for (WorkloadRolloutStatus entry : next.getWorkloads()) {
      if (entry.getStartedAt() != null || entry.getFinishedAt() != null) {
        continue;
      }
      Optional<Workload> present = present(entry, byKey, now);
      if (present.isEmpty()) {
        continue;
      }
      Workload w = present.get();
      if (strategy == RolloutStrategy.NONE) {
        entry.setFinishedAt(now.toString());
        entry.setMessage("strategy none: the workload reloads the Secret itself");
        continue;
      }
      if (free <= 0) {
        entry.setMessage("waits: at most " + in.policy().maxConcurrent() + " workload(s) of this"
            + " credential, and the operator-wide cap, roll at a time");
        // This credential's own workloads wake it when they finish; other credentials' do not.
        waitsForOthers |= ownFree > 0;
        continue;
      }
      free--;
      ownFree--;
      entry.setStartedAt(now.toString());
      if (strategy == RolloutStrategy.RESTART) {
        // Restarted already (an operator stopped right after its patch): never twice.
        if (entry.getRevision().equals(w.restartedFor())) {
          entry.setGeneration(w.generation());
          if (w.restartAt() != null) {
            // An Argo Rollout: its restart was asked for then, not now.
            entry.setStartedAt(w.restartAt().toString());
          }
        } else {
          entry.setGeneration(actions.restart(w, entry.getRevision(), now));
        }
      }
      progress.check(entry, w);
    }
    Optional<Instant> due = progress.due;
    if (waitsForOthers) {
      due = earliest(due, now.plus(CAP_WAIT));
    }
    List<String> stalled = progress.stalled;
    int nowRolling = (int) next.getWorkloads().stream()
        .filter(x -> x.getStartedAt() != null && x.getFinishedAt() == null).count();
    slots.report(in.key(), nowRolling);
    if (next.getWorkloads().stream().allMatch(x -> x.getFinishedAt() != null)) {
      next.setCompletedAt(now.toString());
      slots.forget(in.key());
      return new Result(consumers, next, settled(next, in), Optional.empty(), warnings, false);
    }
    long done = next.getWorkloads().stream().filter(x -> x.getFinishedAt() != null).count();
    ConditionUpdate condition = !stalled.isEmpty()
        ? new ConditionUpdate(ROLLOUT_COMPLETE, false, Conditions.ROLLOUT_STALLED,
            String.join(", ", stalled) + " stalled; " + done + " of " + next.getWorkloads().size()
                + " rolled. The previous version is kept.")
        : new ConditionUpdate(ROLLOUT_COMPLETE, false, Conditions.ROLLOUT_IN_PROGRESS,
            done + " of " + next.getWorkloads().size() + " workload(s) rolled to the new "
                + (TOKEN.equals(next.getTrigger()) ? "token" : "credential"));
    return new Result(consumers, next, condition, due, warnings, !stalled.isEmpty());
  }

  /** The workload behind an entry; an entry whose workload went away is finished. */
  private static Optional<Workload> present(WorkloadRolloutStatus entry,
      Map<String, Consumer> byKey, Instant now) {
    Consumer c = byKey.get(entry.getKind() + "/" + entry.getName());
    if (c == null || c.workload().isEmpty()) {
      entry.setFinishedAt(now.toString());
      entry.setHealthy(null);
      entry.setMessage("no longer there, or no longer a consumer");
      return Optional.empty();
    }
    return c.workload();
  }

  /** Checks started workloads: healthy, still rolling (until when), or stalled. */
  private final class Progress {
    private final Input in;
    private final List<ConditionUpdate> warnings;
    private Optional<Instant> due = Optional.empty();
    private final List<String> stalled = new ArrayList<>();

    Progress(Input in, List<ConditionUpdate> warnings) {
      this.in = in;
      this.warnings = warnings;
    }

    void check(WorkloadRolloutStatus entry, Workload w) {
      Instant now = in.now();
      Instant startedAt = Instant.parse(entry.getStartedAt());
      WorkloadHealth.Health health;
      if (in.policy().strategy() == RolloutStrategy.EVICT) {
        WorkloadActions.EvictStep step = actions.evictNext(w, startedAt);
        health = step == WorkloadActions.EvictStep.NONE_LEFT ? WorkloadHealth.of(w, 0)
            : new WorkloadHealth.Health(false, false, switch (step) {
              case BLOCKED -> "an eviction was refused (a PodDisruptionBudget, or an error);"
                  + " retrying";
              case WAITING -> "waiting for a replacement pod to be Ready";
              default -> "evicted a pod started before the rollout";
            });
        if (step != WorkloadActions.EvictStep.NONE_LEFT) {
          due = earliest(due, now.plus(EVICT_STEP));
        }
      } else {
        health = WorkloadHealth.of(w, entry.getGeneration() == null ? 0 : entry.getGeneration(),
            w.kind() == WorkloadKind.Rollout ? startedAt : null);
      }
      if (health.healthy()) {
        entry.setFinishedAt(now.toString());
        entry.setHealthy(true);
        entry.setMessage(health.message());
        return;
      }
      entry.setHealthy(false);
      Instant deadline = startedAt.plus(in.policy().timeout());
      if (!health.stalled() && now.isBefore(deadline)) {
        entry.setMessage(health.message());
        due = earliest(due, deadline);
        return;
      }
      String why = health.stalled() ? health.message() : "not healthy within "
          + in.policy().timeout() + " (" + health.message() + ")";
      String message = RolloutTransitions.STALLED + why;
      // One Event per stall: not again while it stays stalled, whatever its counts say.
      if (entry.getMessage() == null || !entry.getMessage().startsWith(RolloutTransitions.STALLED)) {
        warnings.add(new ConditionUpdate(ROLLOUT_COMPLETE, false, Conditions.ROLLOUT_STALLED,
            entry.getKind() + "/" + entry.getName() + " did not roll out to the new credential: "
                + why + ". The previous version is kept until it heals or the credential is"
                + " annotated " + ApiLabels.RETIRE_PREVIOUS + "=now"));
      }
      entry.setMessage(message);
      stalled.add(entry.getKind() + "/" + entry.getName());
      if (in.policy().strategy() == RolloutStrategy.EVICT) {
        due = earliest(due, now.plus(EVICT_STEP));
      }
    }
  }

  private static ConditionUpdate settled(RolloutStatus rollout, Input in) {
    if (in.consumers().isEmpty()) {
      return new ConditionUpdate(ROLLOUT_COMPLETE, true, Conditions.NO_CONSUMERS,
          "no workload is declared in spec.consumers or found reading the target Secret");
    }
    long rolled = rollout.getWorkloads().stream().filter(w -> w.getStartedAt() != null).count();
    return new ConditionUpdate(ROLLOUT_COMPLETE, true, Conditions.ROLLED_OUT,
        INITIAL.equals(rollout.getTrigger()) ? "first version: its consumers started with it,"
            + " nothing was restarted"
            : rolled + " workload(s) restarted and healthy on the current "
                + (TOKEN.equals(rollout.getTrigger()) ? "token" : "credential"));
  }

  private static Optional<Instant> earliest(Optional<Instant> a, Instant b) {
    return Optional.of(a.filter(x -> x.isBefore(b)).orElse(b));
  }

  private static RolloutStatus copy(RolloutStatus prev) {
    RolloutStatus c = new RolloutStatus();
    c.setRevision(prev.getRevision());
    c.setTrigger(prev.getTrigger());
    c.setTokenIssuedAt(prev.getTokenIssuedAt());
    c.setDetectedAt(prev.getDetectedAt());
    c.setCompletedAt(prev.getCompletedAt());
    c.setWorkloads(prev.getWorkloads().stream().map(WorkloadRolloutStatus::copy)
        .collect(Collectors.toCollection(ArrayList::new)));
    return c;
  }

  /** When consumers were settled on {@code fingerprint}, from a written status.rollout. */
  public static Optional<Instant> settledOn(RolloutStatus rollout, String fingerprint) {
    if (rollout == null || rollout.getCompletedAt() == null
        || !Objects.equals(rollout.getRevision(), fingerprint)) {
      return Optional.empty();
    }
    return Optional.of(Instant.parse(rollout.getCompletedAt()));
  }
}
