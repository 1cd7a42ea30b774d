package dev.reloadly.operator.rbac;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An authorizer in front of the mock API server: requests that carry the operator's token are
 * checked against an {@link RbacPolicy} and answered 403 when no rule allows them, as
 * kube-apiserver would. Everyone else (the test acting as cluster admin) passes. It remembers
 * every denial and every rule that allowed something, for the test's two directions.
 */
final class AuthorizingDispatcher extends Dispatcher {
  static final String REVIEWS = "selfsubjectrulesreviews";

  private final Dispatcher delegate;
  private final RbacPolicy policy;
  private final String operatorToken;
  private final String user;
  private final List<ApiRequest> denied = new CopyOnWriteArrayList<>();
  private final Set<String> used = ConcurrentHashMap.newKeySet();
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  AuthorizingDispatcher(Dispatcher delegate, RbacPolicy policy, String operatorToken, String user) {
    this.delegate = delegate;
    this.policy = policy;
    this.operatorToken = operatorToken;
    this.user = user;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if (!("Bearer " + operatorToken).equals(request.getHeader("Authorization"))) {
      return delegate.dispatch(request);
    }
    Optional<ApiRequest> parsed = ApiRequest.parse(request.getMethod(), request.getPath());
    if (parsed.isEmpty()) {
      // Discovery and /version: every authenticated user may read them (system:discovery).
      return delegate.dispatch(request);
    }
    ApiRequest api = parsed.get();
    if (api.group().equals("authorization.k8s.io") && api.resource().equals(REVIEWS)
        && api.verb().equals("create")) {
      // Every authenticated user may ask what they may do (system:basic-user); JOSDK's leader
      // election asks at start whether it may use Leases. Answer from the manifest.
      return rulesReview(request);
    }
    List<RbacPolicy.Grant> allowing = policy.allowing(api);
    if (allowing.isEmpty()) {
      denied.add(api);
      return new MockResponse().setResponseCode(403).setBody(serialization.asJson(
          new StatusBuilder().withStatus("Failure").withReason("Forbidden").withCode(403)
              .withMessage("forbidden: User \"" + user + "\" cannot " + api
                  + " (not granted by the manifest under test)")
              .build()));
    }
    allowing.forEach(g -> used.add(unit(g, api.verb(), api.ruleResource())));
    return delegate.dispatch(request);
  }

  private MockResponse rulesReview(RecordedRequest request) {
    SelfSubjectRulesReview review =
        serialization.unmarshal(request.getUtf8Body(), SelfSubjectRulesReview.class);
    String namespace = review.getSpec() == null ? null : review.getSpec().getNamespace();
    review.setStatus(new SubjectRulesReviewStatusBuilder().withIncomplete(false)
        .withResourceRules(policy.applyingIn(namespace).stream()
            .map(g -> new ResourceRuleBuilder().withApiGroups(g.rule().getApiGroups())
                .withResources(g.rule().getResources()).withVerbs(g.rule().getVerbs())
                .withResourceNames(g.rule().getResourceNames()).build())
            .toList())
        .build());
    return new MockResponse().setResponseCode(201).setBody(serialization.asJson(review));
  }

  /** One verb on one resource of one rule: the unit the converse check counts. */
  static String unit(RbacPolicy.Grant grant, String verb, String resource) {
    return grant.role() + " rule " + grant.index() + ": " + verb + " " + resource;
  }

  List<ApiRequest> denied() {
    return List.copyOf(denied);
  }

  Set<String> used() {
    return Set.copyOf(used);
  }
}
