package dev.reloadly.operator.reliability;

import dev.reloadly.operator.api.v1alpha1.ApiLabels;
import dev.reloadly.operator.api.v1alpha1.Conditions;
import dev.reloadly.operator.api.v1alpha1.CredentialVersionStatus;
import dev.reloadly.operator.api.v1alpha1.ReloadlyCredential;
import dev.reloadly.operator.api.v1alpha1.RolloutStatus;
import dev.reloadly.operator.api.v1alpha1.TargetMode;
import dev.reloadly.operator.compromise.DenyList;
import dev.reloadly.operator.crypto.EnvelopeCipher;
import dev.reloadly.operator.crypto.StoreMac;
import dev.reloadly.operator.keys.OperatorKeys;
import dev.reloadly.operator.lifecycle.CredentialPolicy;
import dev.reloadly.operator.lifecycle.CredentialVersion;
import dev.reloadly.operator.lifecycle.VersionLedger;
import dev.reloadly.operator.lifecycle.VersionState;
import dev.reloadly.operator.source.CredentialMaterial;
import dev.reloadly.operator.store.StoredVersions;
import dev.reloadly.operator.target.TargetSecret;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The promises one credential's writes keep, checked after every write the API server accepts,
 * whoever made it, on the state that write left:
 *
 * <ul>
 *   <li>the target Secret, once it exists, holds one complete version: every key its mode needs,
 *       the client ID and secret fingerprinting to the version its annotation names, a token
 *       Reloadly issued for that same version, and token annotations that agree with the data; or,
 *       only after a compromise, the endpoint alone;
 *   <li>the version the target serves, and the version status calls current, keep their value in
 *       the store (it decrypts, and fingerprints to that version), unless they were compromised;
 *   <li>the store's ledger verifies under its MAC, its generation never goes back and grows with
 *       every ledger change, no version moves backwards or vanishes, and status never records a
 *       store generation the store has not reached;
 *   <li>a compromised version is on the deny-list before a store marks it so, the deny-list never
 *       shrinks, and no write to the target or to a workload serves a listed version;
 *   <li>each consumer workload's {@code restarted-for} annotation changes at most once per
 *       version, and only to what the target serves at that moment (its token included).
 * </ul>
 *
 * Violations are kept as sentences naming versions by letter ("B"), never a value.
 */
final class WriteInvariants {
  /** The moves the version state machine allows (docs/lifecycle.md). */
  private static final Map<VersionState, Set<VersionState>> MOVES = Map.of(
      VersionState.PENDING, EnumSet.of(VersionState.CURRENT, VersionState.RETIRED,
          VersionState.COMPROMISED),
      VersionState.CURRENT, EnumSet.of(VersionState.PREVIOUS, VersionState.COMPROMISED),
      VersionState.PREVIOUS, EnumSet.of(VersionState.RETIRED, VersionState.COMPROMISED),
      VersionState.RETIRED, EnumSet.noneOf(VersionState.class),
      VersionState.COMPROMISED, EnumSet.noneOf(VersionState.class));
  private static final Set<VersionState> LIVE =
      EnumSet.of(VersionState.PENDING, VersionState.CURRENT, VersionState.PREVIOUS);
  private static final String LEDGER = "ledger.json";

  /** One accepted write: who made it (User-Agent), what and where. */
  record Write(String agent, String method, String path, String body) {
    /** The object's path: for a create, the collection's path and the name from the body. */
    @SuppressWarnings("unchecked")
    String pathOnly() {
      String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
      if ("POST".equals(method) && body != null && !body.isEmpty()) {
        try {
          Object metadata = Serialization.unmarshal(body, Map.class).get("metadata");
          Object name = metadata instanceof Map<?, ?> m ? m.get("name") : null;
          if (name != null) {
            return p + "/" + name;
          }
        } catch (RuntimeException e) {
          // Not a JSON object: keep the collection's path.
        }
      }
      return p;
    }

    String shortPath() {
      return pathOnly().replaceFirst("^/apis?/([^/]+/)?v1[^/]*/", "");
    }
  }

  private final ClusterSnapshot.Names names;
  private final OperatorKeys keys;
  private final IssuedTokens tokens;
  private final StoreMac mac;
  private final EnvelopeCipher cipher = new EnvelopeCipher();
  private final Map<String, String> letters = new HashMap<>();
  private final List<String> violations = new ArrayList<>();
  private long writesChecked;
  private long deniedServedAfter;
  private ClusterSnapshot last;
  private boolean targetSeen;
  private boolean storeSeen;
  private long storeGeneration = -1;
  private String storeLedger;
  private Map<String, VersionState> states = Map.of();
  private Long statusGeneration;
  private Set<String> denied = Set.of();
  private final Map<String, String> restartedFor = new HashMap<>();
  /** Per workload, how often its annotation moved to each version (or withdrawn revision). */
  private final Map<String, Map<String, Integer>> restarts = new HashMap<>();

  WriteInvariants(ClusterSnapshot.Names names, OperatorKeys keys, IssuedTokens tokens) {
    this.names = names;
    this.keys = keys;
    this.tokens = tokens;
    this.mac = StoreMac.derivedFrom(keys.fingerprinter());
  }

  /** Names a version by a letter in reports and step names. */
  synchronized void name(String fingerprint, String letter) {
    letters.put(fingerprint, letter);
  }

  synchronized String letter(String fingerprint) {
    return fingerprint == null ? "none" : letters.computeIfAbsent(fingerprint,
        fp -> "v" + (letters.size() + 1));
  }

  /** Takes the state before the first checked write as the starting point. */
  synchronized void baseline(ClusterSnapshot s) {
    last = s;
    targetSeen = s.target() != null;
    storeSeen = s.store() != null;
    stored(s).ifPresent(st -> {
      storeGeneration = st.generation();
      storeLedger = s.store().getData().get(LEDGER);
      states = states(st.ledger());
    });
    statusGeneration = s.credential() == null || s.credential().getStatus() == null ? null
        : s.credential().getStatus().getStoreGeneration();
    denied = deniedIn(s);
    for (String w : names.deployments()) {
      restartedFor.put(w, s.templateAnnotation(w, ApiLabels.RESTARTED_FOR));
    }
  }

  /** Checks the state {@code write} left; returns what the write did, as a step name. */
  synchronized String afterWrite(Write write, ClusterSnapshot s) {
    writesChecked++;
    String step = describe(write, last, s);
    String where = "after " + step + " (" + write.method() + " " + write.shortPath() + " by "
        + write.agent() + ")";
    List<String> found = new ArrayList<>();
    Optional<StoredVersions> store = Optional.empty();
    try {
      store = stored(s);
    } catch (IllegalArgumentException e) {
      found.add("the store cannot be read: " + e.getMessage());
    }
    Set<String> deniedNow = deniedIn(s);
    checkDenyList(deniedNow, found);
    checkStore(s, store, deniedNow, found);
    checkTarget(write, s, store, deniedNow, found);
    checkStatus(s, store, found);
    checkWorkloads(s, deniedNow, found);
    found.forEach(problem -> violations.add(where + ": " + problem));
    last = s;
    denied = deniedNow;
    return step;
  }

  synchronized List<String> violations() {
    return List.copyOf(violations);
  }

  synchronized long writesChecked() {
    return writesChecked;
  }

  /** Writes after which the target still served a version already on the deny-list. */
  synchronized long deniedServedAfter() {
    return deniedServedAfter;
  }

  /** How often {@code workload}'s restart annotation moved to {@code version}. */
  synchronized int restarts(String workload, String version) {
    return restarts.getOrDefault(workload, Map.of()).getOrDefault(version, 0);
  }

  // ---- the checks ----

  private void checkDenyList(Set<String> now, List<String> found) {
    Set<String> lost = new TreeSet<>(denied);
    lost.removeAll(now);
    lost.forEach(fp -> found.add("version " + letter(fp) + " left the deny-list"));
  }

  private void checkStore(ClusterSnapshot s, Optional<StoredVersions> store, Set<String> deniedNow,
      List<String> found) {
    if (s.store() == null) {
      if (storeSeen) {
        found.add("the store Secret is gone");
      }
      return;
    }
    storeSeen = true;
    if (store.isEmpty()) {
      return;
    }
    StoredVersions st = store.get();
    if (st.authenticity(mac, binding(s)) != StoredVersions.Authenticity.AUTHENTIC) {
      found.add("the store's ledger is " + st.authenticity(mac, binding(s)));
    }
    String ledgerText = s.store().getData().get(LEDGER);
    if (st.generation() < storeGeneration) {
      found.add("the store went back from generation " + storeGeneration + " to "
          + st.generation());
    } else if (st.generation() == storeGeneration && storeLedger != null
        && !storeLedger.equals(ledgerText)) {
      found.add("the store's ledger changed without a new generation (" + st.generation() + ")");
    }
    Map<String, VersionState> next = states(st.ledger());
    states.forEach((fp, before) -> {
      VersionState after = next.get(fp);
      if (after == null && LIVE.contains(before)) {
        found.add("version " + letter(fp) + " vanished from the store's ledger while " + name(before));
      } else if (after != null && after != before && !MOVES.get(before).contains(after)) {
        found.add("version " + letter(fp) + " went from " + name(before) + " back to "
            + name(after));
      }
    });
    long current = next.values().stream().filter(v -> v == VersionState.CURRENT).count();
    long previous = next.values().stream().filter(v -> v == VersionState.PREVIOUS).count();
    if (current > 1 || previous > 1) {
      found.add("the store holds " + current + " current and " + previous + " previous versions");
    }
    for (CredentialVersion v : st.ledger().versions()) {
      if (LIVE.contains(v.state())) {
        opensAs(s, st, v.fingerprint()).ifPresent(problem -> found.add(name(v.state())
            + " version " + letter(v.fingerprint()) + " " + problem));
      }
      if (v.state() == VersionState.COMPROMISED && !deniedNow.contains(v.fingerprint())) {
        found.add("the store marks " + letter(v.fingerprint())
            + " compromised but the deny-list does not list it");
      }
    }
    storeGeneration = st.generation();
    storeLedger = ledgerText;
    states = next;
  }

  private void checkTarget(Write write, ClusterSnapshot s, Optional<StoredVersions> store,
      Set<String> deniedNow, List<String> found) {
    Secret target = s.target();
    if (target == null) {
      if (targetSeen) {
        found.add("the target Secret is gone");
      }
      return;
    }
    targetSeen = true;
    ReloadlyCredential credential = s.credential();
    if (credential == null) {
      return;
    }
    TargetSecret.Keys k = TargetSecret.keys(credential);
    TargetMode mode = TargetSecret.mode(credential);
    boolean token = mode.includesToken()
        && CredentialPolicy.of(credential.getSpec()).tokenEnabled();
    Map<String, String> data = target.getData() == null ? Map.of() : target.getData();
    String version = ClusterSnapshot.annotation(target, ApiLabels.VERSION);
    Set<String> endpoint = Set.of(k.audience(), k.baseUrl());
    if (version == null) {
      // Withdrawn: only the endpoint, after a compromise (the incident may already be resolved
      // in the store, which is written before the target serves the replacement).
      boolean compromise = store.map(st -> !st.ledger().incidents().isEmpty()).orElse(false);
      if (!compromise || !data.keySet().equals(endpoint)
          || ClusterSnapshot.annotation(target, ApiLabels.TOKEN_ISSUED_AT) != null) {
        found.add("the target names no version but holds " + new TreeSet<>(data.keySet())
            + (compromise ? "" : " with no compromise on record"));
      }
      return;
    }
    Set<String> wanted = new HashSet<>(endpoint);
    if (mode.includesCredentials()) {
      wanted.addAll(List.of(k.clientId(), k.clientSecret()));
    }
    if (token) {
      wanted.addAll(List.of(k.accessToken(), k.tokenType(), k.expiresAt()));
    }
    if (!data.keySet().equals(wanted)) {
      Set<String> missing = new TreeSet<>(wanted);
      missing.removeAll(data.keySet());
      Set<String> extra = new TreeSet<>(data.keySet());
      extra.removeAll(wanted);
      found.add("the target serves " + letter(version) + " incompletely: missing " + missing
          + (extra.isEmpty() ? "" : ", unexpected " + extra));
    }
    data.forEach((key, value) -> {
      if (value == null || value.isEmpty()) {
        found.add("the target's " + key + " is empty");
      }
    });
    if (mode.includesCredentials() && data.containsKey(k.clientId())
        && data.containsKey(k.clientSecret())) {
      byte[] id = decode(data.get(k.clientId()));
      byte[] secret = decode(data.get(k.clientSecret()));
      try {
        String actual = keys.fingerprinter().fingerprint(id, secret);
        if (!actual.equals(version)) {
          found.add("the target names " + letter(version) + " but its client ID and secret are "
              + letter(actual));
        }
      } finally {
        Arrays.fill(id, (byte) 0);
        Arrays.fill(secret, (byte) 0);
      }
    }
    if (token && data.containsKey(k.accessToken())) {
      byte[] bytes = decode(data.get(k.accessToken()));
      try {
        Optional<String> issuedFor = tokens.versionOf(bytes);
        if (issuedFor.isEmpty()) {
          found.add("the target's token was never issued by Reloadly to the operator");
        } else if (!issuedFor.get().equals(version)) {
          found.add("the target names " + letter(version) + " but its token was issued for "
              + letter(issuedFor.get()));
        }
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
      String expires = data.containsKey(k.expiresAt())
          ? new String(decode(data.get(k.expiresAt())), StandardCharsets.UTF_8) : null;
      if (ClusterSnapshot.annotation(target, ApiLabels.TOKEN_ISSUED_AT) == null
          || expires == null || !expires.equals(
              ClusterSnapshot.annotation(target, ApiLabels.TOKEN_EXPIRES_AT))) {
        found.add("the target's token annotations do not match its token");
      }
    }
    boolean listed = deniedNow.contains(version)
        || store.flatMap(st -> st.ledger().find(version))
            .map(v -> v.state() == VersionState.COMPROMISED).orElse(false);
    if (listed) {
      deniedServedAfter++;
      if (write.pathOnly().equals(names.secretPath(names.target()))) {
        found.add("a write to the target serves compromised version " + letter(version));
      }
      return;
    }
    store.ifPresent(st -> {
      Optional<CredentialVersion> v = st.ledger().find(version);
      if (v.isEmpty() || (v.get().state() != VersionState.CURRENT
          && v.get().state() != VersionState.PREVIOUS)) {
        found.add("the target serves " + letter(version) + ", which the store holds as "
            + v.map(x -> name(x.state())).orElse("unknown"));
      }
    });
    if (store.isEmpty()) {
      found.add("the target serves " + letter(version) + " with no store behind it");
    }
  }

  private void checkStatus(ClusterSnapshot s, Optional<StoredVersions> store, List<String> found) {
    if (s.credential() == null || s.credential().getStatus() == null) {
      return;
    }
    Long generation = s.credential().getStatus().getStoreGeneration();
    if (generation != null) {
      if (statusGeneration != null && generation < statusGeneration) {
        found.add("status.storeGeneration went back from " + statusGeneration + " to "
            + generation);
      }
      long inStore = store.map(StoredVersions::generation).orElse(0L);
      if (generation > inStore) {
        found.add("status records store generation " + generation + " but the store is at "
            + inStore);
      }
      statusGeneration = generation;
    }
    for (CredentialVersionStatus v : s.credential().getStatus().getVersions()) {
      if ("current".equals(v.getState())) {
        boolean compromised = store.flatMap(st -> st.ledger().find(v.getFingerprint()))
            .map(x -> x.state() == VersionState.COMPROMISED).orElse(false);
        if (!compromised && store.map(st -> !st.hasValue(v.getFingerprint())).orElse(true)) {
          found.add("status calls " + letter(v.getFingerprint())
              + " current but the store holds no value for it");
        }
      }
    }
  }

  private void checkWorkloads(ClusterSnapshot s, Set<String> deniedNow, List<String> found) {
    String served = ClusterSnapshot.annotation(s.target(), ApiLabels.VERSION);
    for (String w : names.deployments()) {
      String now = s.templateAnnotation(w, ApiLabels.RESTARTED_FOR);
      if (now == null || now.equals(restartedFor.get(w))) {
        continue;
      }
      restartedFor.put(w, now);
      boolean withdrawn = now.startsWith("withdrawn-");
      String version = withdrawn ? now : now.split("\\+token-", 2)[0];
      int times = restarts.computeIfAbsent(w, x -> new HashMap<>()).merge(version, 1,
          Integer::sum);
      String label = withdrawn ? "withdrawn " + letter(now.substring("withdrawn-".length()))
          : letter(version);
      if (times > 1) {
        found.add("workload " + w + " restarted " + times + " times for " + label);
      }
      if (withdrawn) {
        if (served != null) {
          found.add("workload " + w + " restarted for " + label + " while the target serves "
              + letter(served));
        }
        continue;
      }
      if (deniedNow.contains(version)) {
        found.add("workload " + w + " restarted for compromised version " + label);
      }
      if (!version.equals(served)) {
        found.add("workload " + w + " restarted for " + label + " while the target serves "
            + letter(served));
      }
      if (now.contains("+token-")) {
        String issued = ClusterSnapshot.annotation(s.target(), ApiLabels.TOKEN_ISSUED_AT);
        String epoch = now.substring(now.indexOf("+token-") + "+token-".length());
        if (issued == null || !Long.toString(Instant.parse(issued).getEpochSecond())
            .equals(epoch)) {
          found.add("workload " + w + " restarted for a token the target does not serve");
        }
      }
    }
  }

  // ---- naming a write ----

  /**
   * What {@code write} did, from the state before and after it: the same words in every run
   * ("store: B current, A previous"), so crash points can be named and found again.
   */
  String describe(Write write, ClusterSnapshot before, ClusterSnapshot after) {
    String path = write.pathOnly();
    if (path.equals(names.secretPath(names.store()))) {
      return "store: " + ledgerChange(before, after);
    }
    if (path.equals(names.secretPath(names.target()))) {
      String v = ClusterSnapshot.annotation(after.target(), ApiLabels.VERSION);
      return v == null ? "target withdrawn" : "target serves " + letter(v);
    }
    if (path.equals(names.denyListPath())) {
      return "deny-list lists " + deniedIn(after).stream().filter(fp -> !deniedIn(before)
          .contains(fp)).map(this::letter).sorted().collect(Collectors.joining(", "));
    }
    for (String w : names.deployments()) {
      if (path.equals(names.deploymentPath(w))) {
        String r = after.templateAnnotation(w, ApiLabels.RESTARTED_FOR);
        if (r != null && !r.equals(before == null ? null
            : before.templateAnnotation(w, ApiLabels.RESTARTED_FOR))) {
          return "workload " + w + " restarted for " + (r.startsWith("withdrawn-")
              ? "withdrawn " + letter(r.substring("withdrawn-".length()))
              : letter(r.split("\\+token-", 2)[0]) + (r.contains("+token-") ? " and its token"
                  : ""));
        }
        return write.method() + " workload " + w;
      }
    }
    if (path.equals(names.credentialPath() + "/status")) {
      return "status written (" + statusSummary(after.credential()) + ")";
    }
    if (path.equals(names.credentialPath())) {
      return "credential annotations written";
    }
    if (path.endsWith("/events") || path.contains("/events/")) {
      return "Event " + eventReason(write.body());
    }
    return write.method() + " " + write.shortPath();
  }

  private String ledgerChange(ClusterSnapshot before, ClusterSnapshot after) {
    Map<String, VersionState> was;
    Map<String, VersionState> now;
    try {
      was = stored(before).map(st -> states(st.ledger())).orElse(Map.of());
      now = stored(after).map(st -> states(st.ledger())).orElse(Map.of());
    } catch (IllegalArgumentException e) {
      return "unreadable";
    }
    List<String> changes = new ArrayList<>();
    now.forEach((fp, state) -> {
      if (state != was.get(fp)) {
        changes.add(letter(fp) + " " + name(state));
      }
    });
    changes.sort(null);
    return changes.isEmpty() ? "rewritten, no version changed" : String.join(", ", changes);
  }

  private static String statusSummary(ReloadlyCredential credential) {
    if (credential == null || credential.getStatus() == null) {
      return "empty";
    }
    List<Condition> conditions = credential.getStatus().getConditions();
    RolloutStatus rollout = credential.getStatus().getRollout();
    return "Ready " + Conditions.find(conditions, Conditions.READY).map(Condition::getReason)
        .orElse("-") + ", RolloutComplete " + Conditions.find(conditions,
            Conditions.ROLLOUT_COMPLETE).map(Condition::getReason).orElse("-")
        + (rollout == null || rollout.getWorkloads().isEmpty() ? "" : ", "
            + rollout.getWorkloads().stream().filter(w -> w.getFinishedAt() != null).count()
            + " of " + rollout.getWorkloads().size() + " workloads rolled");
  }

  @SuppressWarnings("unchecked")
  private static String eventReason(String body) {
    try {
      Object reason = Serialization.unmarshal(body, Map.class).get("reason");
      return reason == null ? "?" : reason.toString();
    } catch (RuntimeException e) {
      return "?";
    }
  }

  // ---- helpers ----

  /** Decrypts a live version and checks it is what its fingerprint says; the problem, if any. */
  private Optional<String> opensAs(ClusterSnapshot s, StoredVersions st, String fingerprint) {
    if (!st.hasValue(fingerprint)) {
      return Optional.of("has no value in the store");
    }
    try (CredentialMaterial material = st.open(fingerprint, new StoredVersions.Crypto(binding(s),
        cipher, keys.keks())).orElseThrow()) {
      return keys.fingerprinter().fingerprint(material.clientId(), material.clientSecret())
          .equals(fingerprint) ? Optional.empty()
          : Optional.of("decrypts to another version's value");
    } catch (RuntimeException e) {
      return Optional.of("cannot be decrypted (" + e.getClass().getSimpleName() + ")");
    }
  }

  private StoredVersions.Binding binding(ClusterSnapshot s) {
    return new StoredVersions.Binding(names.namespace(), names.credential(),
        s.credential() == null ? null : s.credential().getMetadata().getUid());
  }

  private static Optional<StoredVersions> stored(ClusterSnapshot s) {
    return s == null || s.store() == null ? Optional.empty()
        : Optional.of(StoredVersions.parse(s.store().getData()));
  }

  private static Map<String, VersionState> states(VersionLedger ledger) {
    Map<String, VersionState> states = new LinkedHashMap<>();
    ledger.versions().forEach(v -> states.put(v.fingerprint(), v.state()));
    return states;
  }

  private static Set<String> deniedIn(ClusterSnapshot s) {
    return s == null || s.denyList() == null ? Set.of()
        : DenyList.parse(s.denyList().getData()).fingerprints();
  }

  private static String name(VersionState state) {
    return state.wireName();
  }

  private static byte[] decode(String base64) {
    return Base64.getDecoder().decode(base64);
  }
}
