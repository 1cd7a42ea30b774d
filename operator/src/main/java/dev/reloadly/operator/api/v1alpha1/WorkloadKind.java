package dev.reloadly.operator.api.v1alpha1;

/** Kinds of workload that can consume a target Secret. Rollout is Argo Rollouts'. */
public enum WorkloadKind {
  Deployment,
  StatefulSet,
  DaemonSet,
  Rollout
}
