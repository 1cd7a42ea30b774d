package dev.reloadly.operator.egress;

import static dev.reloadly.operator.api.v1alpha1.Conditions.EGRESS_VERIFIED;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.ProbeSpec;
import dev.reloadly.operator.api.v1alpha1.ProbeStatus;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.lifecycle.ConditionUpdate;
import dev.reloadly.operator.time.DurationParser;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the egress probe every interval and turns its Job's result into EgressVerified: a 2xx from
 * Reloadly through the NAT path passes; another status (an IP Reloadly does not allow, a stale
 * token) is rejected; no answer (the proxy down, the path blocked) fails. Kubernetes-free apart
 * from {@link ProbeJobStore}.
 */
public final class EgressProbe {
  /** A Job not finished this long after it started counts as failed. */
  static final Duration GIVE_UP = Duration.ofSeconds(ProbeJobs.DEADLINE_SECONDS + 60);
  private static final Pattern RESULT = Pattern.compile("http=(\\d{3})?\\s+curl=(\\d+)");
  private final ProbeJobStore jobs;

  public EgressProbe(ProbeJobStore jobs) {
    this.jobs = jobs;
  }

  /**
   * @param job builds the Job to start, given its name (the caller knows the paths)
   * @param tokenServed whether the target Secret holds a bearer token (mode token or both)
   */
  public record Input(ReloadlyCredential credential, ProbeSpec spec, ProbeStatus previous,
      boolean tokenServed, java.util.function.Function<String, Job> job, Instant now) {}

  /**
   * @param condition EgressVerified; empty to leave it as it is (a probe is running)
   * @param remove the probe is off: status.egress.probe and EgressVerified go
   */
  public record Result(ProbeStatus status, Optional<ConditionUpdate> condition,
      Optional<Instant> nextDue, boolean remove) {}

  public Result probe(Input in) {
    if (in.spec() == null || !Boolean.TRUE.equals(in.spec().getEnabled())) {
      return new Result(null, Optional.empty(), Optional.empty(), true);
    }
    if (!in.tokenServed()) {
      return new Result(in.previous(), Optional.of(new ConditionUpdate(EGRESS_VERIFIED, false,
          Conditions.NO_TOKEN, "the probe calls Reloadly with the served bearer token; the target"
              + " Secret holds none (spec.target.mode credentials)")), Optional.empty(), false);
    }
    Duration interval = DurationParser.parse(Optional.ofNullable(in.spec().getInterval())
        .orElse(ProbeSpec.DEFAULT_INTERVAL));
    String namespace = in.credential().getMetadata().getNamespace();
    ProbeStatus prev = in.previous();
    if (prev != null && prev.getJob() != null && prev.getFinishedAt() == null) {
      return finish(in, prev.copy(), namespace, interval);
    }
    Instant due = prev == null || prev.getStartedAt() == null ? in.now()
        : Instant.parse(prev.getStartedAt()).plus(interval);
    if (in.now().isBefore(due)) {
      return new Result(prev, Optional.empty(), Optional.of(due), false);
    }
    String name = ProbeJobs.name(in.credential().getMetadata().getName(),
        in.now().getEpochSecond());
    jobs.create(in.job().apply(name));
    ProbeStatus started = new ProbeStatus();
    started.setJob(name);
    started.setStartedAt(in.now().toString());
    return new Result(started, Optional.empty(), Optional.of(in.now().plus(GIVE_UP)), false);
  }

  private Result finish(Input in, ProbeStatus status, String namespace, Duration interval) {
    Instant started = Instant.parse(status.getStartedAt());
    Optional<Job> job = jobs.get(namespace, status.getJob());
    boolean succeeded = job.map(j -> j.getStatus() != null && j.getStatus().getSucceeded() != null
        && j.getStatus().getSucceeded() > 0).orElse(false);
    boolean failed = job.map(j -> j.getStatus() != null && j.getStatus().getFailed() != null
        && j.getStatus().getFailed() > 0).orElse(false);
    if (!succeeded && !failed && job.isPresent() && in.now().isBefore(started.plus(GIVE_UP))) {
      return new Result(status, Optional.empty(), Optional.of(started.plus(GIVE_UP)), false);
    }
    status.setFinishedAt(in.now().toString());
    Instant next = started.plus(interval);
    Optional<Matcher> result = jobs.result(namespace, status.getJob()).map(RESULT::matcher)
        .filter(Matcher::find);
    Integer http = result.map(m -> m.group(1)).map(Integer::valueOf).orElse(null);
    status.setHttpStatus(http);
    ConditionUpdate condition;
    if (job.isEmpty() || (!succeeded && !failed)) {
      condition = new ConditionUpdate(EGRESS_VERIFIED, false, Conditions.PROBE_FAILED, "probe Job "
          + status.getJob() + (job.isEmpty() ? " is gone before its result was read"
          : " did not finish within " + GIVE_UP.toSeconds() + "s") + "; next at " + next);
    } else if (http != null && http >= 200 && http < 300) {
      condition = new ConditionUpdate(EGRESS_VERIFIED, true, Conditions.PROBE_PASSED, "Reloadly"
          + " answered HTTP " + http + " to the probe through the NAT path at "
          + status.getFinishedAt() + "; next at " + next);
    } else if (http != null && http > 0) {
      condition = new ConditionUpdate(EGRESS_VERIFIED, false, Conditions.PROBE_REJECTED,
          "Reloadly answered HTTP " + http + " to the probe through the NAT path (an IP not on"
              + " its allowlist, or a token it refuses); next at " + next);
    } else {
      condition = new ConditionUpdate(EGRESS_VERIFIED, false, Conditions.PROBE_FAILED, "the probe"
          + " got no answer from Reloadly through the NAT path (curl exit "
          + result.map(m -> m.group(2)).orElse("unknown") + ": is the proxy on the NAT node"
          + " running?); next at " + next);
    }
    return new Result(status, Optional.of(condition),
        Optional.of(next.isAfter(in.now()) ? next : in.now()), false);
  }
}
