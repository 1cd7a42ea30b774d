package dev.reloadly.operator.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Duties follow leadership; a lost Lease ends the process, a clean stop does not. */
class LeaderDutiesTest {
  private final List<String> calls = new ArrayList<>();
  private final AtomicInteger exits = new AtomicInteger();
  private final LeaderDuties duties = new LeaderDuties("pod-a", exits::incrementAndGet);
  private final LeaderDuties.Duty duty = new LeaderDuties.Duty() {
    @Override
    public void start() {
      calls.add("start");
    }

    @Override
    public void stop() {
      calls.add("stop");
    }
  };

  @Test
  void leadershipBeforeBindingStartsTheDutyWhenBound() {
    duties.callbacks().onStartLeading();
    assertThat(calls).isEmpty();

    duties.bind(duty);

    assertThat(calls).containsExactly("start");
    assertThat(duties.leading()).isTrue();
  }

  @Test
  void losingTheLeaseStopsTheDutyAndExits() {
    duties.bind(duty);
    duties.callbacks().onStartLeading();
    duties.callbacks().onStartLeading();

    duties.callbacks().onStopLeading();

    assertThat(calls).containsExactly("start", "stop");
    assertThat(exits).hasValue(1);
    assertThat(duties.leading()).isFalse();
  }

  @Test
  void givingTheLeaseUpWhileClosingDoesNotExit() {
    duties.bind(duty);
    duties.callbacks().onStartLeading();
    duties.closing();

    duties.callbacks().onStopLeading();

    assertThat(calls).containsExactly("start", "stop");
    assertThat(exits).hasValue(0);
  }

  @Test
  void aFollowerThatNeverLedNeitherStopsNorExits() {
    duties.bind(duty);

    duties.callbacks().onNewLeader("pod-b");
    duties.callbacks().onStopLeading();

    assertThat(calls).isEmpty();
    assertThat(exits).hasValue(0);
  }
}
