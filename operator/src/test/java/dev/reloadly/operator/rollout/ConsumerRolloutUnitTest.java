package dev.reloadly.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.Consumers;
import dev.reloadly.operator.api.v1alpha1.RolloutStatus;
import dev.reloadly.operator.api.v1alpha1.RolloutStrategy;
import dev.reloadly.operator.api.v1alpha1.WorkloadKind;
import dev.reloadly.operator.api.v1alpha1.WorkloadRef;
import dev.reloadly.operator.testing.Workloads;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** ConsumerRollout without a server: status in, status out, restarts recorded by a fake. */
class ConsumerRolloutUnitTest {
  static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  static final String V1 = "hmac-sha256:01";
  static final String V2 = "hmac-sha256:02";

  private final List<String> restarts = new ArrayList<>();
  private final WorkloadActions actions = new WorkloadActions() {
    @Override
    public long restart(Workload w, String revision, Instant now) {
      restarts.add(w.key() + "=" + revision);
      return w.generation() + 1;
    }

    @Override
    public EvictStep evictNext(Workload w, Instant since) {
      throw new AssertionError("not the evict strategy");
    }
  };

  private static ConsumerPolicy policy(RolloutStrategy strategy, int maxConcurrent,
      String... names) {
    Consumers c = new Consumers();
    c.setStrategy(strategy);
    c.setMaxConcurrent(maxConcurrent);
    c.setWorkloads(Stream.of(names).map(n -> {
      WorkloadRef ref = new WorkloadRef();
      ref.setKind(WorkloadKind.Deployment);
      ref.setName(n);
      return ref;
    }).toList());
    return ConsumerPolicy.of(c);
  }

  private static List<Consumer> consumers(ConsumerPolicy policy, String... names) {
    List<Workload> workloads = Stream.of(names).map(n -> Workload.from(Workloads.workload(
        WorkloadKind.Deployment, "payments", n, "shop-reloadly", Workloads.Reading.VOLUME))
        .orElseThrow()).toList();
    return ConsumerDiscovery.find(policy, workloads, "shop-reloadly", "access_token");
  }

  private ConsumerRollout.Result roll(ConsumerRollout rollout, String key, ConsumerPolicy policy,
      List<Consumer> consumers, String revision, RolloutStatus previous, Instant now,
      String compromised) {
    return rollout.roll(new ConsumerRollout.Input(key, policy, consumers,
        new ConsumerRollout.Served(revision, null, compromised::equals), List.of(), previous,
        now));
  }

  @Test
  void theFirstVersionRestartsNothing() {
    ConsumerPolicy policy = policy(RolloutStrategy.RESTART, 1, "a");
    ConsumerRollout.Result r = roll(new ConsumerRollout(actions, new RolloutSlots(10)), "ns/c",
        policy, consumers(policy, "a"), V1, null, T0, "");
    assertThat(restarts).isEmpty();
    assertThat(r.condition().reason()).isEqualTo(Conditions.ROLLED_OUT);
    assertThat(ConsumerRollout.settledOn(r.rollout(), V1)).contains(T0);
  }

  @Test
  void aCompromiseRestartsEveryConsumerAtOnceIgnoringDelayAndMaxConcurrent() {
    ConsumerPolicy policy = policy(RolloutStrategy.RESTART, 1, "a", "b", "c");
    ConsumerRollout rollout = new ConsumerRollout(actions, new RolloutSlots(10));
    List<Consumer> consumers = consumers(policy, "a", "b", "c");
    RolloutStatus first = roll(rollout, "ns/c", policy, consumers, V1, null, T0, "").rollout();

    ConsumerRollout.Result r = roll(rollout, "ns/c", policy, consumers,
        Revisions.withdrawn(V1), first, T0.plusSeconds(1), V1);
    assertThat(restarts).containsExactly("Deployment/a=withdrawn-" + V1,
        "Deployment/b=withdrawn-" + V1, "Deployment/c=withdrawn-" + V1);
    assertThat(r.rollout().getTrigger()).isEqualTo("compromise");
    assertThat(r.condition().reason()).isEqualTo(Conditions.ROLLOUT_IN_PROGRESS);
  }

  @Test
  void anOrdinaryNewVersionWaitsForTheDelayThenRespectsMaxConcurrent() {
    ConsumerPolicy policy = policy(RolloutStrategy.RESTART, 1, "a", "b");
    ConsumerRollout rollout = new ConsumerRollout(actions, new RolloutSlots(10));
    List<Consumer> consumers = consumers(policy, "a", "b");
    RolloutStatus first = roll(rollout, "ns/c", policy, consumers, V1, null, T0, "").rollout();

    ConsumerRollout.Result pending = roll(rollout, "ns/c", policy, consumers, V2, first, T0, "");
    assertThat(pending.condition().reason()).isEqualTo(Conditions.ROLLOUT_PENDING);
    assertThat(pending.nextDue()).contains(T0.plus(ConsumerPolicy.DEFAULT_DELAY));
    assertThat(restarts).isEmpty();

    ConsumerRollout.Result started = roll(rollout, "ns/c", policy, consumers, V2,
        pending.rollout(), T0.plusSeconds(10), "");
    assertThat(restarts).containsExactly("Deployment/a=" + V2);
    assertThat(started.nextDue()).as("stall check").contains(T0.plusSeconds(10)
        .plus(ConsumerPolicy.DEFAULT_TIMEOUT));
    assertThat(ConsumerRollout.settledOn(started.rollout(), V2)).isEmpty();
  }

  @Test
  void theOperatorWideCapIsSharedByAllCredentials() {
    RolloutSlots slots = new RolloutSlots(1);
    ConsumerRollout rollout = new ConsumerRollout(actions, slots);
    ConsumerPolicy policy = policy(RolloutStrategy.RESTART, 5, "a");
    List<Consumer> consumers = consumers(policy, "a");
    for (String key : List.of("ns/one", "ns/two")) {
      RolloutStatus first = roll(rollout, key, policy, consumers, V1, null, T0, "").rollout();
      RolloutStatus pending = roll(rollout, key, policy, consumers, V2, first, T0, "").rollout();
      roll(rollout, key, policy, consumers, V2, pending, T0.plus(Duration.ofMinutes(1)), "");
    }
    assertThat(restarts).as("the second credential waits for the first").hasSize(1);
  }

  /** Regression: a credential waiting for the operator-wide cap asked for no next look. */
  @Test
  void aCredentialWaitingForTheOperatorWideCapLooksAgainAndStartsOnceAPlaceIsFree() {
    RolloutSlots slots = new RolloutSlots(1);
    ConsumerRollout rollout = new ConsumerRollout(actions, slots);
    ConsumerPolicy policy = policy(RolloutStrategy.RESTART, 5, "a");
    List<Consumer> consumers = consumers(policy, "a");
    Instant later = T0.plus(Duration.ofMinutes(1));
    RolloutStatus one = roll(rollout, "ns/one", policy, consumers, V1, null, T0, "").rollout();
    one = roll(rollout, "ns/one", policy, consumers, V2, one, T0, "").rollout();
    roll(rollout, "ns/one", policy, consumers, V2, one, later, "");
    RolloutStatus two = roll(rollout, "ns/two", policy, consumers, V1, null, T0, "").rollout();
    two = roll(rollout, "ns/two", policy, consumers, V2, two, T0, "").rollout();

    ConsumerRollout.Result waiting = roll(rollout, "ns/two", policy, consumers, V2, two, later, "");
    assertThat(restarts).hasSize(1);
    assertThat(waiting.nextDue()).as("looks again without an event of its own")
        .contains(later.plus(ConsumerRollout.CAP_WAIT));

    slots.forget("ns/one");
    roll(rollout, "ns/two", policy, consumers, V2, waiting.rollout(),
        later.plus(ConsumerRollout.CAP_WAIT), "");
    assertThat(restarts).as("started once the place is free").hasSize(2);
  }

  @Test
  void strategyNoneOnlyReports() {
    ConsumerPolicy policy = policy(RolloutStrategy.NONE, 1, "a");
    ConsumerRollout rollout = new ConsumerRollout(actions, new RolloutSlots(10));
    List<Consumer> consumers = consumers(policy, "a");
    RolloutStatus first = roll(rollout, "ns/c", policy, consumers, V1, null, T0, "").rollout();
    RolloutStatus pending = roll(rollout, "ns/c", policy, consumers, V2, first, T0, "").rollout();
    ConsumerRollout.Result r = roll(rollout, "ns/c", policy, consumers, V2, pending,
        T0.plusSeconds(10), "");
    assertThat(restarts).isEmpty();
    assertThat(r.condition().reason()).isEqualTo(Conditions.ROLLED_OUT);
    assertThat(r.consumers()).singleElement()
        .satisfies(c -> assertThat(c.getReads()).isEqualTo("file"));
  }

  @Test
  void aConsumerThatGoesAwayMidRolloutDoesNotHoldItUp() {
    ConsumerPolicy policy = policy(RolloutStrategy.RESTART, 1, "a");
    ConsumerRollout rollout = new ConsumerRollout(actions, new RolloutSlots(10));
    RolloutStatus first = roll(rollout, "ns/c", policy, consumers(policy, "a"), V1, null, T0, "")
        .rollout();
    RolloutStatus pending = roll(rollout, "ns/c", policy, consumers(policy, "a"), V2, first, T0,
        "").rollout();
    RolloutStatus started = roll(rollout, "ns/c", policy, consumers(policy, "a"), V2, pending,
        T0.plusSeconds(10), "").rollout();
    // The Deployment was deleted: the spec still names it, so it is listed as missing.
    ConsumerRollout.Result r = roll(rollout, "ns/c", policy, consumers(policy), V2, started,
        T0.plusSeconds(20), "");
    assertThat(r.condition().reason()).isEqualTo(Conditions.ROLLED_OUT);
    assertThat(r.consumers()).singleElement()
        .satisfies(c -> assertThat(c.getReads()).isEqualTo("missing"));
  }
}
