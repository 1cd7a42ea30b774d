package dev.reloadly.operator.reliability;

import dev.reloadly.operator.token.ReloadlyTokenClient;
import dev.reloadly.operator.token.TokenResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Every token request the operator made, at the operator's time, with what came back: to count
 * requests per minute of operator time and to see a retry loop (many requests at one instant).
 */
final class RecordedTokenRequests {
  /** One request: when (operator clock) and the kind of result, never the token. */
  record Request(Instant at, String result) {}

  private final Clock clock;
  private final List<Request> requests = new ArrayList<>();

  RecordedTokenRequests(Clock clock) {
    this.clock = clock;
  }

  ReloadlyTokenClient wrap(ReloadlyTokenClient client) {
    return (clientId, clientSecret, audience) -> {
      Instant at = clock.instant();
      TokenResult result = client.requestToken(clientId, clientSecret, audience);
      synchronized (requests) {
        requests.add(new Request(at, result.getClass().getSimpleName()));
      }
      return result;
    };
  }

  List<Request> all() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  int count() {
    return all().size();
  }

  /** The requests made after the first {@code skipped}. */
  List<Request> after(int skipped) {
    List<Request> all = all();
    return all.subList(Math.min(skipped, all.size()), all.size());
  }

  /** The most of {@code requests} made in any window of {@code length} of operator time. */
  static int mostWithin(List<Request> requests, Duration length) {
    List<Instant> at = requests.stream().map(Request::at).sorted().toList();
    int most = 0;
    int first = 0;
    for (int last = 0; last < at.size(); last++) {
      while (!at.get(first).plus(length).isAfter(at.get(last))) {
        first++;
      }
      most = Math.max(most, last - first + 1);
    }
    return most;
  }

  /** The most of {@code requests} made at one instant of operator time: more than one is a retry loop. */
  static int mostAtOneInstant(List<Request> requests) {
    return requests.stream().collect(java.util.stream.Collectors.groupingBy(Request::at,
        java.util.stream.Collectors.counting())).values().stream()
        .mapToInt(Long::intValue).max().orElse(0);
  }
}
