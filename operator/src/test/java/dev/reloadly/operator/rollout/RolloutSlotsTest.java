package dev.reloadly.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RolloutSlotsTest {
  @Test
  void otherCredentialsRollingTakeFromTheCapAndAForgottenOneGivesItBack() {
    RolloutSlots slots = new RolloutSlots(3);
    slots.report("ns/a", 2);
    assertThat(slots.free("ns/b")).isEqualTo(1);
    assertThat(slots.free("ns/a")).as("its own rolling ones count too").isEqualTo(1);
    slots.forget("ns/a");
    assertThat(slots.free("ns/b")).isEqualTo(3);
    slots.report("ns/b", 3);
    slots.report("ns/b", 0);
    assertThat(slots.free("ns/a")).isEqualTo(3);
  }

  @Test
  void theCapIsAtLeastOne() {
    assertThatThrownBy(() -> new RolloutSlots(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
