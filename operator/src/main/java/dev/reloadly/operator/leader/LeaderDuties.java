package dev.reloadly.operator.leader;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work only the leader does (key maintenance), started when this replica becomes leader and
 * stopped when it stops leading. JOSDK starts and stops reconciling itself; this class carries
 * the same news to the rest of the operator.
 *
 * <p>Leadership can arrive before the duty is bound (the elector runs as soon as the operator
 * starts), so the state is remembered and the duty started on {@link #bind}.
 */
public final class LeaderDuties {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderDuties.class);

  /** Something that runs while, and only while, this replica leads. */
  public interface Duty {
    void start();

    void stop();
  }

  private final String identity;
  private final AtomicReference<String> leader = new AtomicReference<>();
  private Duty duty;
  private boolean leading;

  public LeaderDuties(String identity) {
    this.identity = identity;
  }

  /** The callbacks to hand to JOSDK's leader election. */
  public LeaderCallbacks callbacks() {
    return new LeaderCallbacks(this::startLeading, this::stopLeading, this::newLeader);
  }

  /** Binds the duty; starts it at once if this replica already leads. */
  public synchronized void bind(Duty duty) {
    this.duty = duty;
    if (leading) {
      duty.start();
    }
  }

  public synchronized void startLeading() {
    if (leading) {
      return;
    }
    leading = true;
    leader.set(identity);
    LOG.info("{} leads: starting key maintenance", identity);
    if (duty != null) {
      duty.start();
    }
  }

  public synchronized void stopLeading() {
    if (!leading) {
      return;
    }
    leading = false;
    LOG.info("{} stopped leading: stopping key maintenance", identity);
    if (duty != null) {
      duty.stop();
    }
  }

  private void newLeader(String identity) {
    leader.set(identity);
  }

  public synchronized boolean leading() {
    return leading;
  }

  public String identity() {
    return identity;
  }
}
