package dev.reloadly.operator.rbac;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A resource request as the API server's authorizer sees it: the verb (get, list, watch, create,
 * update, patch, delete, deletecollection), the API group, the resource and subresource, the
 * namespace (null for all namespaces or a cluster-scoped object) and the object name (null for a
 * collection). Parsed from the HTTP method and path the way kube-apiserver's RequestInfoFactory
 * does, including that a list or watch with a {@code metadata.name} field selector is a named
 * request.
 */
record ApiRequest(String verb, String group, String resource, String subresource,
    String namespace, String name) {

  /** The resource as RBAC rules name it: {@code secrets} or {@code reloadlycredentials/status}. */
  String ruleResource() {
    return subresource == null ? resource : resource + "/" + subresource;
  }

  /** Null for non-resource requests (discovery, /version): they are not checked against rules. */
  static Optional<ApiRequest> parse(String method, String target) {
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    Map<String, String> query = q < 0 ? Map.of() : query(target.substring(q + 1));
    String[] parts = path.replaceAll("^/+|/+$", "").split("/");
    String group;
    int first;
    if (parts.length >= 2 && parts[0].equals("api")) {
      group = "";
      first = 2;
    } else if (parts.length >= 3 && parts[0].equals("apis")) {
      group = parts[1];
      first = 3;
    } else {
      return Optional.empty();
    }
    if (parts.length <= first) {
      return Optional.empty();
    }
    String namespace = null;
    int i = first;
    // "namespaces/x" alone is the Namespace x; "namespaces/x/secrets" is secrets in x.
    if (parts[i].equals("namespaces") && parts.length > i + 2) {
      namespace = parts[i + 1];
      i += 2;
    }
    String resource = parts[i];
    String name = parts.length > i + 1 ? parts[i + 1] : null;
    String subresource = parts.length > i + 2 ? parts[i + 2] : null;
    boolean watch = "true".equals(query.get("watch")) || "1".equals(query.get("watch"));
    String verb = switch (method) {
      case "GET", "HEAD" -> name != null ? (watch ? "watch" : "get") : (watch ? "watch" : "list");
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name != null ? "delete" : "deletecollection";
      default -> method.toLowerCase();
    };
    if (name == null && (verb.equals("list") || verb.equals("watch"))) {
      String selector = query.getOrDefault("fieldSelector", "");
      for (String term : selector.split(",")) {
        if (term.startsWith("metadata.name=")) {
          name = term.substring("metadata.name=".length());
        }
      }
    }
    return Optional.of(new ApiRequest(verb, group, resource, subresource, namespace, name));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new HashMap<>();
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(key, value);
    }
    return params;
  }

  /** As kube-apiserver words a denial: {@code list secrets in namespace payments}. */
  @Override
  public String toString() {
    String what = verb + " " + (group.isEmpty() ? "" : group + "/") + ruleResource()
        + (name == null ? "" : " " + name);
    return what + (namespace == null ? " (all namespaces or cluster scope)"
        : " in namespace " + namespace);
  }
}
