package dev.reloadly.operator.chart;

/** The values files the chart tests install with, as a user would write them. */
final class ChartValues {
  static final String IMAGE_REPOSITORY = "registry.example.com/reloadly-credential-operator";

  /** The chart's defaults plus the one required value: all namespaces, a ClusterRole. */
  static final String DEFAULTS = """
      image:
        repository: %s
      """.formatted(IMAGE_REPOSITORY);

  /** Two watched namespaces: a Role in each, no ClusterRole for them. */
  static final String NAMESPACED = DEFAULTS + """
      watchNamespaces: [payments, billing]
      """;

  /** Every optional part and every operator setting. */
  static final String EVERYTHING_ON = DEFAULTS + """
      watchNamespaces: [payments, billing]
      logFormat: json
      reloadlyAuthUrl: https://auth.reloadly.example/oauth/token
      proxy: egress-proxy.egress.svc:3128
      maxConcurrentTokenRequests: 8
      maxConcurrentRollouts: 20
      incidentHistory: 7
      sealingKeyRenewal: 14d
      kekRotation: 60d
      argoRollouts: true
      natNodeSelector: role=nat
      probeImage: registry.example.com/curl:8
      freeMailDomains: [mail.example, post.example]
      kek:
        provider: kms-v2
        kmsSocket: /var/run/kmsplugin/socket.sock
        kmsTimeout: 3s
      priorityClassName: system-cluster-critical
      podAnnotations:
        example.com/team: payments
      podLabels:
        example.com/tier: security
      metrics:
        serviceMonitor:
          enabled: true
          labels:
            release: prometheus
        prometheusRule:
          enabled: true
          labels:
            release: prometheus
        dashboard:
          enabled: true
          annotations:
            grafana_folder: Security
      networkPolicy:
        metricsFrom:
          - namespaceSelector:
              matchLabels:
                kubernetes.io/metadata.name: monitoring
        apiServer:
          cidrs: [172.18.0.2/32]
          ports: [6443]
        proxy:
          cidrs: [10.20.0.0/24]
      """;

  private ChartValues() {
  }
}
