package dev.reloadly.operator.fuzz;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Multiplies every fuzz property's tries by the system property {@value #SCALE}: 1 in the default
 * build, 100 under {@code -Pfuzz}. Seeds stay fixed, so a long run replays the short run's inputs
 * first and then goes on with more of the same stream.
 */
public final class FuzzBudget implements AroundPropertyHook {
  public static final String SCALE = "fuzz.scale";

  static int scale() {
    int scale = Integer.getInteger(SCALE, 1);
    if (scale < 1) {
      throw new IllegalArgumentException(SCALE + " must be at least 1, not " + scale);
    }
    return scale;
  }

  /** On a container, the budget applies to every property inside it. */
  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  @Override
  public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context,
      PropertyExecutor property) {
    context.attributes().tries()
        .ifPresent(tries -> context.attributes().setTries(tries * scale()));
    return property.execute();
  }
}
