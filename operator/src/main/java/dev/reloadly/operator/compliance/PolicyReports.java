package dev.reloadly.operator.compliance;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.ComplianceCheckStatus;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The namespace's PolicyReport ({@code wgpolicyk8s.io/v1alpha2}), named
 * {@value #NAME}: one result per credential and check, in credential-name then check order, at
 * most {@value #MAX_RESULTS} (a report stays far below etcd's object size limit), with summary
 * counts. Policy Reporter shows it with no configuration. Pure.
 */
public final class PolicyReports {
  public static final String NAME = "reloadly-credentials";
  public static final int MAX_RESULTS = 1000;
  public static final String CATEGORY = "Reloadly security guidelines";
  public static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
      .withGroup("wgpolicyk8s.io").withVersion("v1alpha2").withKind("PolicyReport")
      .withPlural("policyreports").withNamespaced(true).build();

  private PolicyReports() {}

  public static GenericKubernetesResource build(String namespace,
      List<ReloadlyCredential> credentials) {
    List<Object> results = new ArrayList<>();
    Map<String, Integer> summary = new LinkedHashMap<>();
    for (String r : List.of("pass", "fail", "warn", "error", "skip")) {
      summary.put(r, 0);
    }
    credentials.stream().filter(c -> c.getStatus() != null && c.getStatus().getCompliance() != null)
        .sorted(Comparator.comparing(c -> c.getMetadata().getName()))
        .forEach(c -> {
          for (ComplianceCheckStatus check : c.getStatus().getCompliance().getChecks()) {
            if (results.size() >= MAX_RESULTS) {
              return;
            }
            String result = check.getResult().toLowerCase(Locale.ROOT);
            summary.merge(result, 1, Integer::sum);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("policy", "reloadly-" + check.getId().toLowerCase(Locale.ROOT)
                .replace(',', '-'));
            entry.put("rule", check.getName());
            entry.put("result", result);
            entry.put("severity", "fail".equals(result) ? "high" : "medium");
            entry.put("category", CATEGORY);
            entry.put("message", check.getMessage());
            entry.put("source", "reloadly-credential-operator");
            entry.put("resources", List.of(Map.of("apiVersion", c.getApiVersion(),
                "kind", c.getKind(), "name", c.getMetadata().getName(),
                "namespace", namespace, "uid", String.valueOf(c.getMetadata().getUid()))));
            results.add(entry);
          }
        });
    GenericKubernetesResource report = new GenericKubernetesResource();
    report.setApiVersion("wgpolicyk8s.io/v1alpha2");
    report.setKind("PolicyReport");
    report.setMetadata(new ObjectMetaBuilder().withName(NAME).withNamespace(namespace)
        .addToLabels(ApiLabels.MANAGED_BY, ApiLabels.MANAGED_BY_VALUE).build());
    report.setAdditionalProperty("results", results);
    report.setAdditionalProperty("summary", summary);
    return report;
  }
}
