package dev.reloadly.operator.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reloadly.operator.schema.CredentialDocument;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * ReloadlyCredential documents for fuzzing: the schema tests' valid base changed in one to four
 * places. Each change sets a spec field (or an undeclared one) to a value of its own kind that is
 * often just wrong (a duration in words, a CIDR out of range, a name with capitals), to a value
 * of another type, to null, or removes it. Strings include unicode, control characters, unpaired
 * surrogates and huge values.
 */
final class SpecDocuments {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** What a field holds, for values that are close to right. */
  enum Kind {
    DURATION, REFRESH_BEFORE, CIDRS, NAME, KEY, EMAIL, TEAM, DATE, BOOLEAN, INTEGER, PORTS,
    WORKLOADS, SELECTOR, LABELS, TOLERATIONS, EGRESS_RULES, IP, TEXT, SOURCE, ENUM, OBJECT
  }

  record Field(String path, Kind kind, List<String> values) {
    static Field of(String path, Kind kind) {
      return new Field(path, kind, List.of());
    }

    static Field oneOf(String path, String... values) {
      return new Field(path, Kind.ENUM, List.of(values));
    }
  }

  /** Every spec field, by dotted path, with what it holds. */
  static final List<Field> FIELDS = List.of(
      Field.oneOf("spec.environment", "live", "sandbox"),
      Field.oneOf("spec.product", "airtime", "giftcards", "utilities"),
      Field.of("spec.owner", Kind.OBJECT),
      Field.of("spec.owner.email", Kind.EMAIL),
      Field.of("spec.owner.team", Kind.TEAM),
      Field.of("spec.source", Kind.SOURCE),
      Field.of("spec.source.secretRef", Kind.OBJECT),
      Field.of("spec.source.secretRef.name", Kind.NAME),
      Field.of("spec.source.secretRef.clientIdKey", Kind.KEY),
      Field.of("spec.source.secretRef.clientSecretKey", Kind.KEY),
      Field.of("spec.source.sealed", Kind.OBJECT),
      Field.of("spec.source.sealed.clientId", Kind.TEXT),
      Field.of("spec.source.sealed.clientSecret", Kind.TEXT),
      Field.of("spec.rotation", Kind.OBJECT),
      Field.of("spec.rotation.maxAge", Kind.DURATION),
      Field.of("spec.rotation.renewBefore", Kind.DURATION),
      Field.of("spec.rotation.gracePeriod", Kind.DURATION),
      Field.of("spec.token", Kind.OBJECT),
      Field.of("spec.token.enabled", Kind.BOOLEAN),
      Field.of("spec.token.refreshBefore", Kind.REFRESH_BEFORE),
      Field.of("spec.target", Kind.OBJECT),
      Field.of("spec.target.secretName", Kind.NAME),
      Field.oneOf("spec.target.mode", "token", "credentials", "both"),
      Field.of("spec.target.keys", Kind.LABELS),
      Field.of("spec.target.keys.clientId", Kind.KEY),
      Field.of("spec.target.keys.clientSecret", Kind.KEY),
      Field.of("spec.target.keys.accessToken", Kind.KEY),
      Field.of("spec.target.keys.tokenType", Kind.KEY),
      Field.of("spec.target.keys.expiresAt", Kind.KEY),
      Field.of("spec.target.keys.audience", Kind.KEY),
      Field.of("spec.target.keys.baseUrl", Kind.KEY),
      Field.of("spec.consumers", Kind.OBJECT),
      Field.of("spec.consumers.workloads", Kind.WORKLOADS),
      Field.of("spec.consumers.selector", Kind.SELECTOR),
      Field.oneOf("spec.consumers.strategy", "restart", "evict", "none"),
      Field.of("spec.consumers.maxConcurrent", Kind.INTEGER),
      Field.of("spec.consumers.includeDiscovered", Kind.BOOLEAN),
      Field.of("spec.consumers.grantAccess", Kind.BOOLEAN),
      Field.of("spec.consumers.delay", Kind.DURATION),
      Field.of("spec.consumers.timeout", Kind.DURATION),
      Field.of("spec.egress", Kind.OBJECT),
      Field.of("spec.egress.natNodeSelector", Kind.SELECTOR),
      Field.of("spec.egress.allowlistedIPs", Kind.CIDRS),
      Field.oneOf("spec.egress.mode", "NetworkPolicy", "CiliumEgressGateway"),
      Field.of("spec.egress.proxyPorts", Kind.PORTS),
      Field.of("spec.egress.dns.namespace", Kind.NAME),
      Field.of("spec.egress.dns.podLabels", Kind.LABELS),
      Field.of("spec.egress.additionalEgress", Kind.EGRESS_RULES),
      Field.of("spec.egress.destinationCIDRs", Kind.CIDRS),
      Field.of("spec.egress.egressIP", Kind.IP),
      Field.of("spec.egress.probe.enabled", Kind.BOOLEAN),
      Field.of("spec.egress.probe.interval", Kind.DURATION),
      Field.of("spec.egress.probe.image", Kind.TEXT),
      Field.of("spec.egress.probe.tolerations", Kind.TOLERATIONS),
      Field.oneOf("spec.compliance.enforcement", "block", "warn"),
      Field.of("spec.compliance.attestations.portalTwoFactor", Kind.BOOLEAN),
      Field.of("spec.compliance.attestations.portalPasswordRotatedAt", Kind.DATE));

  private SpecDocuments() {}

  /** A change to a document; applying it never fails, whatever the document holds. */
  interface Change {
    void applyTo(ObjectNode document);
  }

  /**
   * Documents one to four changes away from the valid base.
   *
   * @param anyType also values of another type and undeclared fields, which the API server
   *     refuses or prunes whatever its CRD says, so the operator never reads them
   */
  static Arbitrary<ObjectNode> documents(boolean anyType) {
    return changes(anyType).list().ofMinSize(1).ofMaxSize(4).map(changes -> {
      ObjectNode document = CredentialDocument.valid().tree();
      changes.forEach(change -> change.applyTo(document));
      return document;
    });
  }

  static Arbitrary<Change> changes(boolean anyType) {
    Arbitrary<Field> fields = Arbitraries.of(FIELDS);
    if (!anyType) {
      return Arbitraries.frequencyOf(
          net.jqwik.api.Tuple.of(6, fields.flatMap(f -> near(f).map(v -> set(f.path(), v)))),
          net.jqwik.api.Tuple.of(1, fields.map(f -> remove(f.path()))));
    }
    return Arbitraries.frequencyOf(
        // A value of the field's own kind: the most interesting, often just wrong.
        net.jqwik.api.Tuple.of(10, fields.flatMap(f -> near(f).map(v -> set(f.path(), v)))),
        // Any JSON value at all: wrong types, null, huge.
        net.jqwik.api.Tuple.of(3, Combinators.combine(fields, anyJson())
            .as((f, v) -> set(f.path(), v))),
        net.jqwik.api.Tuple.of(2, fields.map(f -> remove(f.path()))),
        // A field the schema does not declare, beside real ones.
        net.jqwik.api.Tuple.of(1, Combinators.combine(fields, identifiers(), anyJson())
            .as((f, name, v) -> set(parent(f.path()) + "." + name, v))));
  }

  private static String parent(String path) {
    return path.substring(0, path.lastIndexOf('.'));
  }

  static Change set(String path, JsonNode value) {
    return new Change() {
      @Override
      public void applyTo(ObjectNode document) {
        String[] names = path.split("\\.");
        ObjectNode parent = document;
        for (int i = 0; i < names.length - 1; i++) {
          JsonNode child = parent.get(names[i]);
          parent = child instanceof ObjectNode object ? object : parent.putObject(names[i]);
        }
        parent.set(names[names.length - 1], value.deepCopy());
      }

      @Override
      public String toString() {
        return "set " + path + " = " + abbreviated(value);
      }
    };
  }

  static Change remove(String path) {
    return new Change() {
      @Override
      public void applyTo(ObjectNode document) {
        String[] names = path.split("\\.");
        JsonNode parent = document;
        for (int i = 0; i < names.length - 1 && parent != null; i++) {
          parent = parent.get(names[i]);
        }
        if (parent instanceof ObjectNode object) {
          object.remove(names[names.length - 1]);
        }
      }

      @Override
      public String toString() {
        return "remove " + path;
      }
    };
  }

  static String abbreviated(JsonNode value) {
    String text = value.toString();
    return text.length() <= 120 ? text : text.substring(0, 120) + "... (" + text.length() + " chars)";
  }

  /** A value of the field's own kind. */
  static Arbitrary<JsonNode> near(Field field) {
    return switch (field.kind()) {
      case ENUM -> Arbitraries.frequencyOf(
          net.jqwik.api.Tuple.of(3, Arbitraries.of(field.values())),
          net.jqwik.api.Tuple.of(1, Arbitraries.of(field.values()).map(SpecDocuments::mangleCase)),
          net.jqwik.api.Tuple.of(1, text()))
          .map(JSON::textNode);
      case DURATION -> durations().map(JSON::textNode);
      case REFRESH_BEFORE -> Arbitraries.oneOf(durations(), percentages()).map(JSON::textNode);
      case CIDRS -> array(Arbitraries.oneOf(cidrs().map(JSON::textNode), nullOr(text())), 0, 70);
      case NAME -> Arbitraries.oneOf(names(), text()).map(JSON::textNode);
      case KEY -> Arbitraries.oneOf(keys(), text()).map(JSON::textNode);
      case EMAIL -> Arbitraries.oneOf(emails(), text()).map(JSON::textNode);
      case TEAM, TEXT -> text().map(JSON::textNode);
      case DATE -> Arbitraries.oneOf(dates(), text()).map(JSON::textNode);
      case BOOLEAN -> Arbitraries.of(JSON.booleanNode(true), JSON.booleanNode(false),
          JSON.textNode("true"), JSON.textNode("yes"), JSON.numberNode(1));
      case INTEGER -> integers();
      case PORTS -> array(Arbitraries.oneOf(integers(), nullOr(text())), 0, 12);
      case WORKLOADS -> array(Arbitraries.oneOf(workloads(), nullOr(text())), 0, 70);
      case SELECTOR -> selectors();
      case LABELS -> labels();
      case TOLERATIONS -> array(Arbitraries.oneOf(tolerations(), nullOr(text())), 0, 20);
      case EGRESS_RULES -> array(Arbitraries.oneOf(egressRules(), nullOr(text())), 0, 5);
      case IP -> Arbitraries.oneOf(cidrs().map(c -> c.replaceAll("/.*", "")), text())
          .map(JSON::textNode);
      case SOURCE -> Arbitraries.of(sealedAndRef(), emptyObject(), sealedOnly());
      case OBJECT -> Arbitraries.of(emptyObject(), JSON.nullNode());
    };
  }

  private static JsonNode sealedAndRef() {
    ObjectNode source = JSON.objectNode();
    source.putObject("secretRef").put("name", "reloadly-sandbox-source");
    ObjectNode sealed = source.putObject("sealed");
    CredentialDocument.sealedSource().forEach(sealed::put);
    return source;
  }

  private static JsonNode sealedOnly() {
    ObjectNode source = JSON.objectNode();
    ObjectNode sealed = source.putObject("sealed");
    sealed.put("clientId", CredentialDocument.sealedSource().get("clientId"));
    return source;
  }

  private static JsonNode emptyObject() {
    return JSON.objectNode();
  }

  private static String mangleCase(String value) {
    return value.isEmpty() ? value : Character.toUpperCase(value.charAt(0)) + value.substring(1) + " ";
  }

  /** Durations as people write them, right and wrong: units, fractions, signs, huge numbers. */
  static Arbitrary<String> durations() {
    Arbitrary<String> number = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 200).map(String::valueOf),
        Arbitraries.longs().between(0, Long.MAX_VALUE).map(String::valueOf),
        Arbitraries.integers().between(20, 50_000).map(n -> "9".repeat(n)),
        Arbitraries.integers().between(0, 99).map(n -> n + "." + n),
        Arbitraries.of("", ".5", "1e3", "0x10", "\u0663", "1_000"));
    Arbitrary<String> unit = Arbitraries.of("ns", "us", "\u00b5s", "ms", "s", "m", "h", "d", "D",
        "H", "w", "y", "", " h", "hours", "\u03bcs");
    Arbitrary<String> term = Combinators.combine(number, unit).as((n, u) -> n + u);
    Arbitrary<String> sign = Arbitraries.of("", "", "", "-", "+", " ", "\t");
    return Arbitraries.oneOf(
        Combinators.combine(sign, term.list().ofMinSize(1).ofMaxSize(3), sign)
            .as((before, terms, after) -> before + String.join("", terms) + after.trim()),
        Arbitraries.of("0", "0d", "90d", "91d", "2160h", "2161h", "14d", "1h30m", "1.5h",
            "9999999h", "99999d", "never", "soon", "P90D", "-1h"),
        // A long run of digits with no unit: quadratic in a parser that searches, not anchors.
        Arbitraries.integers().between(10_000, 100_000).map(n -> "1h" + "9".repeat(n) + "x"),
        text());
  }

  static Arbitrary<String> percentages() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(-20, 150).map(n -> n + "%"),
        Arbitraries.of("0%", "100%", "33.3%", "%", "1e2%", "1e-2147483649%", "NaN%", " 50 %",
            "50%%"));
  }

  static Arbitrary<String> cidrs() {
    Arbitrary<Integer> octet = Arbitraries.integers().between(0, 300);
    Arbitrary<String> v4 = Combinators.combine(octet, octet, octet, octet)
        .as((a, b, c, d) -> a + "." + b + "." + c + "." + d);
    Arbitrary<String> v6 = Arbitraries.of("2001:db8::", "::", "::1", "fe80::1%eth0",
        "2001:db8::g", "1:2:3:4:5:6:7:8:9", "::ffff:203.0.113.7");
    Arbitrary<String> prefix = Arbitraries.oneOf(
        Arbitraries.integers().between(-1, 200).map(String::valueOf),
        Arbitraries.of("", "x", "32 ", "0032", "2147483648", "99999999999"));
    return Arbitraries.oneOf(
        Combinators.combine(Arbitraries.oneOf(v4, v6), prefix).as((ip, p) -> ip + "/" + p),
        v4, v6, Arbitraries.of("localhost/32", "example.com/24", "/32", "/", "203.0.113.7//32"));
  }

  static Arbitrary<String> names() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("abcxyz019-.").ofMinLength(0).ofMaxLength(20),
        Arbitraries.strings().withChars("abcXYZ09-._/ :").ofMinLength(1).ofMaxLength(20),
        Arbitraries.integers().between(250, 300).map("a"::repeat),
        Arbitraries.of("", "-", "a-", ".a", "UPPER", "ok-name", "a..b", "with space"));
  }

  static Arbitrary<String> keys() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars("aZ09-._/ =:").ofMinLength(0).ofMaxLength(20),
        Arbitraries.integers().between(250, 300).map("k"::repeat),
        Arbitraries.of("", ".", "..", "client_id", "access_token", "a/b", "tls.crt"));
  }

  static Arbitrary<String> emails() {
    return Arbitraries.oneOf(
        Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(10),
            Arbitraries.strings().alpha().ofMaxLength(10)).as((a, b) -> a + "@" + b + ".com"),
        Arbitraries.of("nobody", "a@b", "@example.com", "a@@b.c", " ", "", "x@y.z",
            "payments@gmail.com"));
  }

  static Arbitrary<String> dates() {
    return Arbitraries.oneOf(
        Combinators.combine(Arbitraries.integers().between(0, 9999),
            Arbitraries.integers().between(0, 19), Arbitraries.integers().between(0, 40))
            .as((y, m, d) -> String.format("%04d-%02d-%02d", y, m, d)),
        Arbitraries.of("2025-02-30", "2025-13-01", "0000-00-00", "2025-1-1", "yesterday"));
  }

  /** Any text: short unicode (unpaired surrogates and control characters too), or huge. */
  static Arbitrary<String> text() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(40),
        Arbitraries.strings().ascii().ofMaxLength(40),
        Arbitraries.integers().between(1_000, 300_000).map("\u00e9"::repeat),
        Arbitraries.of("", " ", "\n", "null", "\u0000", "\ud800", "\u202e", "${env}",
            "' OR 1=1 --"));
  }

  static Arbitrary<String> identifiers() {
    return Arbitraries.oneOf(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12),
        // Not "": the schema harness's validator cannot name an empty field in its JSON paths.
        Arbitraries.of("maxage", "secretref", "Environment", "$ref", "__proto__"));
  }

  static Arbitrary<JsonNode> integers() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(-5, 200).map(JSON::numberNode),
        Arbitraries.of(JSON.numberNode(Integer.MAX_VALUE), JSON.numberNode(Long.MIN_VALUE),
            JSON.numberNode(new BigInteger("99999999999999999999999")),
            JSON.numberNode(1.5), JSON.numberNode(65536), JSON.textNode("3")));
  }

  static Arbitrary<JsonNode> workloads() {
    Arbitrary<JsonNode> kind = Arbitraries.oneOf(
        Arbitraries.of("Deployment", "StatefulSet", "DaemonSet", "Rollout").map(JSON::textNode),
        Arbitraries.of("deployment", "Job", "").map(JSON::textNode),
        Arbitraries.of(JSON.nullNode()));
    Arbitrary<JsonNode> name = Arbitraries.oneOf(names().map(JSON::textNode),
        Arbitraries.of(JSON.nullNode(), JSON.numberNode(7)));
    return Combinators.combine(kind, name).as((k, n) -> {
      ObjectNode ref = JSON.objectNode();
      ref.set("kind", k);
      ref.set("name", n);
      return ref;
    });
  }

  static Arbitrary<JsonNode> labels() {
    Arbitrary<String> key = Arbitraries.oneOf(keys(), names());
    Arbitrary<JsonNode> value = Arbitraries.oneOf(names().map(JSON::textNode),
        Arbitraries.of(JSON.nullNode(), JSON.numberNode(1), JSON.booleanNode(true)));
    return Arbitraries.maps(key, value).ofMaxSize(4).map(map -> {
      ObjectNode object = JSON.objectNode();
      map.forEach(object::set);
      return object;
    });
  }

  static Arbitrary<JsonNode> selectors() {
    Arbitrary<JsonNode> expression = Combinators.combine(keys(),
        Arbitraries.of("In", "NotIn", "Exists", "DoesNotExist", "in", "Gt", ""),
        names().list().ofMaxSize(3)).as((key, operator, values) -> {
          ObjectNode e = JSON.objectNode();
          e.put("key", key);
          e.put("operator", operator);
          ArrayNode list = e.putArray("values");
          values.forEach(list::add);
          return e;
        });
    return Combinators.combine(labels(), array(Arbitraries.oneOf(expression, nullOr(text())), 0, 3))
        .as((matchLabels, matchExpressions) -> {
          ObjectNode selector = JSON.objectNode();
          selector.set("matchLabels", matchLabels);
          selector.set("matchExpressions", matchExpressions);
          return selector;
        });
  }

  static Arbitrary<JsonNode> tolerations() {
    return Combinators.combine(keys(), Arbitraries.of("Exists", "Equal", "", "Always"),
        Arbitraries.of("NoSchedule", "NoExecute", "", "Sometimes"), integers())
        .as((key, operator, effect, seconds) -> {
          ObjectNode t = JSON.objectNode();
          t.put("key", key);
          t.put("operator", operator);
          t.put("effect", effect);
          t.set("tolerationSeconds", seconds);
          return t;
        });
  }

  static Arbitrary<JsonNode> egressRules() {
    return Combinators.combine(integers(), Arbitraries.of("TCP", "UDP", "SCTP", "tcp", ""),
        cidrs()).as((port, protocol, cidr) -> {
          ObjectNode rule = JSON.objectNode();
          ObjectNode p = rule.putArray("ports").addObject();
          p.set("port", port);
          p.put("protocol", protocol);
          rule.putArray("to").addObject().putObject("ipBlock").put("cidr", cidr);
          return rule;
        });
  }

  /** Any JSON value: scalars of every type, null, arrays and objects, some of them huge. */
  static Arbitrary<JsonNode> anyJson() {
    Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
        text().map(JSON::textNode),
        integers(),
        Arbitraries.doubles().map(JSON::numberNode),
        Arbitraries.of(JSON.booleanNode(true), JSON.booleanNode(false), JSON.nullNode()));
    return Arbitraries.oneOf(scalar, array(scalar, 0, 5),
        Arbitraries.maps(identifiers(), scalar).ofMaxSize(3).map(map -> {
          ObjectNode object = JSON.objectNode();
          map.forEach(object::set);
          return object;
        }),
        Arbitraries.integers().between(1, 300).map(depth -> {
          JsonNode nested = JSON.textNode("deep");
          for (int i = 0; i < depth; i++) {
            ArrayNode wrapper = JSON.arrayNode();
            wrapper.add(nested);
            nested = wrapper;
          }
          return nested;
        }));
  }

  private static Arbitrary<JsonNode> nullOr(Arbitrary<String> text) {
    return Arbitraries.oneOf(Arbitraries.just(JSON.nullNode()), text.map(JSON::textNode));
  }

  private static Arbitrary<JsonNode> array(Arbitrary<JsonNode> items, int min, int max) {
    return items.list().ofMinSize(min).ofMaxSize(max).map(list -> {
      ArrayNode array = JSON.arrayNode();
      list.forEach(array::add);
      return array;
    });
  }
}
