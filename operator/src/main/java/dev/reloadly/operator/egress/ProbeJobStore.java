package dev.reloadly.operator.egress;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Optional;

/** Where probe Jobs run; the cluster one is {@link ClusterProbeJobs}. */
public interface ProbeJobStore {
  Optional<Job> get(String namespace, String name);

  void create(Job job);

  /** The termination message of the Job's pod, when it has ended. */
  Optional<String> result(String namespace, String job);
}
