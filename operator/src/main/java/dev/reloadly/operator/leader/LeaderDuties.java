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
 *
 * <p>A replica that loses the Lease while running ends the process (when told to), so it cannot
 * go on reconciling beside the new leader; one that gives the Lease up because it is closing
 * does not. JOSDK's own exit-on-stop cannot tell the two apart: called from a shutdown hook, its
 * System.exit would block that hook forever.
 */
public final class LeaderDuties {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderDuties.class);

  /** Something that runs while, and only while, this replica leads. */
  public interface Duty {
    void start();

    void stop();
  }

  private final String identity;
  private final Runnable onLost;
  private final AtomicReference<String> leader = new AtomicReference<>();
  private Duty duty;
  private boolean leading;
  private boolean closing;

  /**
   * @param onLost run when leading stops while the replica is not closing; null to do nothing
   */
  public LeaderDuties(String identity, Runnable onLost) {
    this.identity = identity;
    this.onLost = onLost;
  }

  /** Ends the process on a fresh thread: the elector's thread holds its lock while calling us. */
  public static Runnable exitProcess() {
    return () -> new Thread(() -> System.exit(1), "lost-lease-exit").start();
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
    if (!closing && onLost != null) {
      LOG.error("{} lost the leader Lease; exiting so that only the new leader works", identity);
      onLost.run();
    }
  }

  /** Called before the operator stops: giving up the Lease now is not losing it. */
  public synchronized void closing() {
    closing = true;
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
