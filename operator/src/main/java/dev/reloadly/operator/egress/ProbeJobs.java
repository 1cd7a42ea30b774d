package dev.reloadly.operator.egress;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import java.util.Map;

/**
 * The egress probe's Job: on a NAT node, non-root with a read-only root filesystem and no
 * service-account token, it reads the bearer token from the target Secret mounted as a file and
 * asks Reloadly for the account balance (cheap, read-only) through the consumers' path: the
 * proxy on that NAT node (NetworkPolicy mode), or the gateway (Cilium mode). It writes
 * {@code http=<status> curl=<exit code>} to its termination message. Pure.
 */
public final class ProbeJobs {
  public static final String COMPONENT = "egress-probe";
  public static final String SELECTOR = ApiLabels.MANAGED_SELECTOR + "," + ApiLabels.COMPONENT
      + "=" + COMPONENT;
  static final String TOKEN_DIR = "/var/run/reloadly";
  static final long NON_ROOT = 65532;
  static final long DEADLINE_SECONDS = 60;
  static final int TTL_SECONDS = 600;
  /**
   * The token goes to curl through its config on stdin (printf is a shell builtin), so it is in
   * no process's arguments.
   */
  static final String SCRIPT = "printf 'header = \"Authorization: Bearer %s\"\\n' "
      + "\"$(cat \"$TOKEN_FILE\")\" | curl -sS -K - -o /dev/null -w '%{http_code}' --max-time 20 "
      + "${PROXY_PORT:+--proxy \"http://$NODE_IP:$PROXY_PORT\"} "
      + "-H 'Accept: application/json' \"$PROBE_URL\" > /tmp/code; rc=$?; "
      + "echo \"http=$(cat /tmp/code) curl=$rc\" > /dev/termination-log; "
      + "[ \"$rc\" = 0 ] && case \"$(cat /tmp/code)\" in 2??) exit 0;; *) exit 1;; esac";

  private ProbeJobs() {}

  public static String name(String credential, long epochSecond) {
    return EgressPolicies.shorten(credential + "-egress-probe-" + epochSecond, 63);
  }

  /**
   * @param natNodes the NAT node selector the Job is scheduled with: its matchLabels as the
   *     pod's nodeSelector, its matchExpressions as required node affinity, so the probe runs
   *     only where the credential's traffic leaves
   * @param proxyPort the egress proxy's port on the node; null in Cilium mode (no proxy)
   */
  public static Job build(ReloadlyCredential credential, String name, String target,
      String tokenKey, String url, String image, LabelSelector natNodes, Integer proxyPort,
      List<Toleration> tolerations) {
    Map<String, String> labels = Map.of(ApiLabels.MANAGED_BY, ApiLabels.MANAGED_BY_VALUE,
        ApiLabels.COMPONENT, COMPONENT, ApiLabels.CREDENTIAL, credential.getMetadata().getName());
    return new JobBuilder()
        .withNewMetadata().withName(name).withNamespace(credential.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(credential.getApiVersion())
            .withKind(credential.getKind()).withName(credential.getMetadata().getName())
            .withUid(credential.getMetadata().getUid()).withController(true)
            .withBlockOwnerDeletion(true).build())
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(DEADLINE_SECONDS)
        .withTtlSecondsAfterFinished(TTL_SECONDS)
        .withNewTemplate()
        .withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withNodeSelector(natNodes.getMatchLabels())
        .withAffinity(requiredNodes(natNodes))
        .withTolerations(tolerations == null ? List.of() : tolerations)
        .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(NON_ROOT)
        .withRunAsGroup(NON_ROOT).withNewSeccompProfile().withType("RuntimeDefault")
        .endSeccompProfile().endSecurityContext()
        .addNewContainer()
        .withName("probe").withImage(image)
        .withCommand("sh", "-c", SCRIPT)
        .addNewEnv().withName("NODE_IP").withNewValueFrom().withNewFieldRef()
        .withFieldPath("status.hostIP").endFieldRef().endValueFrom().endEnv()
        .addNewEnv().withName("PROBE_URL").withValue(url).endEnv()
        .addNewEnv().withName("TOKEN_FILE").withValue(TOKEN_DIR + "/" + tokenKey).endEnv()
        .addNewEnv().withName("PROXY_PORT")
        .withValue(proxyPort == null ? "" : proxyPort.toString()).endEnv()
        .withNewSecurityContext().withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true).withNewCapabilities().withDrop("ALL").endCapabilities()
        .endSecurityContext()
        .withNewResources()
        .addToRequests("cpu", new Quantity("10m")).addToRequests("memory", new Quantity("16Mi"))
        .addToLimits("memory", new Quantity("64Mi"))
        .endResources()
        .addNewVolumeMount().withName("token").withMountPath(TOKEN_DIR).withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .endContainer()
        .addNewVolume().withName("token").withNewSecret().withSecretName(target)
        .addNewItem().withKey(tokenKey).withPath(tokenKey).endItem().endSecret().endVolume()
        .addNewVolume().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("1Mi"))
        .endEmptyDir().endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * A label selector's expressions as node affinity; null without any. A nodeSelector alone would
   * drop them and let the probe run on any node, where it proves nothing about the NAT path.
   */
  static Affinity requiredNodes(LabelSelector natNodes) {
    List<LabelSelectorRequirement> expressions = natNodes.getMatchExpressions();
    if (expressions == null || expressions.isEmpty()) {
      return null;
    }
    List<NodeSelectorRequirement> required = expressions.stream()
        .map(e -> new NodeSelectorRequirement(e.getKey(), e.getOperator(), e.getValues()))
        .toList();
    return new AffinityBuilder().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm().withMatchExpressions(required).endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity().build();
  }
}
