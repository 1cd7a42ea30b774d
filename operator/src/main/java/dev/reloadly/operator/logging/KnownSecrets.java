package dev.reloadly.operator.logging;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * The secret values the operator handles at run time (client IDs and secrets it sends, tokens it
 * receives), so the logging layer can redact them in every spelling of {@link SecretForms}.
 *
 * <p>It holds no value in clear: each form is kept as its length and a 61-bit polynomial hash
 * under a random per-process base, and found in a log line with a rolling hash. A value stays
 * until {@link #forget}, until the instant it was registered for (a token's expiry: an expired
 * token opens nothing; it goes at the next registration after that), or until
 * {@value #DEFAULT_CAPACITY} newer values pushed it out, least recently registered first.
 * Registering a held value again costs one hash. Values shorter than {@value #MIN_LENGTH}
 * characters are not held: they would redact ordinary words.
 *
 * <p>Safe for concurrent use; lookups from logging threads take no lock.
 */
public final class KnownSecrets {
  public static final int MIN_LENGTH = 8;
  static final int DEFAULT_CAPACITY = 1024;

  private static final KnownSecrets GLOBAL =
      new KnownSecrets(Clock.systemUTC(), new SecureRandom(), DEFAULT_CAPACITY);

  private final Clock clock;
  private final Hasher hasher;
  private final int capacity;
  /** By the identity of the value (its clear form), least recently registered first. */
  private final LinkedHashMap<Form, Held> held = new LinkedHashMap<>(16, 0.75f, true);
  private volatile Index index = Index.EMPTY;

  /** The operator's registry, the one {@link Redactor#global()} reads. */
  public static KnownSecrets global() {
    return GLOBAL;
  }

  public KnownSecrets(Clock clock, Random random, int capacity) {
    this.clock = clock;
    this.hasher = new Hasher(random);
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** Holds a text secret until forgotten or pushed out. {@code value} is not kept or modified. */
  public void register(char[] value) {
    register(value, Instant.MAX);
  }

  /** Holds a text secret until {@code until}, e.g. a token's expiry. */
  public void register(char[] value, Instant until) {
    if (value != null && value.length >= MIN_LENGTH) {
      Form identity = new Form(value.length, hasher.hash(value));
      // The usual case, the same secret again, costs one hash: its forms are only made once.
      if (!seenAgain(identity, until)) {
        hold(identity, hashAndWipe(SecretForms.ofText(value)), until);
      }
    }
  }

  /** Holds binary key material (its base64 and hex forms) until forgotten or pushed out. */
  public void register(byte[] value) {
    if (value != null && value.length >= MIN_LENGTH) {
      Form identity = new Form(-value.length, hasher.hash(value));
      if (!seenAgain(identity, Instant.MAX)) {
        hold(identity, hashAndWipe(SecretForms.ofBytes(value)), Instant.MAX);
      }
    }
  }

  /** Stops redacting {@code value}, e.g. once a retired version's secret is wiped. */
  public void forget(char[] value) {
    if (value != null && value.length >= MIN_LENGTH) {
      drop(new Form(value.length, hasher.hash(value)));
    }
  }

  public void forget(byte[] value) {
    if (value != null && value.length >= MIN_LENGTH) {
      drop(new Form(-value.length, hasher.hash(value)));
    }
  }

  /** How many values are held. */
  public synchronized int size() {
    return held.size();
  }

  /** {@code text} with every held form replaced by {@code replacement}. */
  String redact(String text, String replacement) {
    Index current = index;
    if (text == null || current.isEmpty() || text.length() < current.shortest()) {
      return text;
    }
    long[] prefix = hasher.prefixHashes(text);
    // Marks [start, end) of each match; overlapping matches merge into one replacement.
    int[] coverEnd = null;
    int[] lengths = current.lengths();
    for (int l = 0; l < lengths.length && lengths[l] <= text.length(); l++) {
      int length = lengths[l];
      long power = current.power(l);
      for (int i = 0; i + length <= text.length(); i++) {
        if (current.contains(length, hasher.window(prefix, i, length, power))) {
          if (coverEnd == null) {
            coverEnd = new int[text.length()];
          }
          coverEnd[i] = Math.max(coverEnd[i], i + length);
        }
      }
    }
    if (coverEnd == null) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      if (coverEnd[i] == 0) {
        out.append(text.charAt(i++));
        continue;
      }
      int end = coverEnd[i];
      for (int j = i; j < end; j++) {
        end = Math.max(end, coverEnd[j]);
      }
      out.append(replacement);
      i = end;
    }
    return out.toString();
  }

  /** True when {@code identity} is held: it moves to the back and keeps the later expiry. */
  private synchronized boolean seenAgain(Form identity, Instant until) {
    Held previous = held.get(identity);
    if (previous == null || !previous.until().isAfter(clock.instant())) {
      return false;
    }
    if (until.isAfter(previous.until())) {
      held.put(identity, new Held(previous.forms(), until));
    }
    return true;
  }

  private synchronized void hold(Form identity, Form[] hashed, Instant until) {
    Instant now = clock.instant();
    boolean changed = prune(now);
    Held previous = held.get(identity);
    if (previous != null) {
      held.put(identity, new Held(previous.forms(), later(previous.until(), until)));
    } else if (until.isAfter(now)) {
      held.put(identity, new Held(hashed, until));
      changed = true;
      for (Iterator<Held> oldest = held.values().iterator(); held.size() > capacity; ) {
        oldest.next();
        oldest.remove();
      }
    }
    if (changed) {
      index = Index.of(held.values(), hasher);
    }
  }

  private synchronized void drop(Form identity) {
    boolean changed = held.remove(identity) != null;
    if (prune(clock.instant()) || changed) {
      index = Index.of(held.values(), hasher);
    }
  }

  private boolean prune(Instant now) {
    return held.values().removeIf(h -> !h.until().isAfter(now));
  }

  private Form[] hashAndWipe(List<char[]> forms) {
    Form[] hashed = new Form[forms.size()];
    for (int i = 0; i < hashed.length; i++) {
      char[] form = forms.get(i);
      hashed[i] = new Form(form.length, hasher.hash(form));
      Arrays.fill(form, '\0');
    }
    return hashed;
  }

  private static Instant later(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** A form of a secret: its length and hash. Binary values are known by a negative length. */
  record Form(int length, long hash) {}

  private record Held(Form[] forms, Instant until) {}

  /** An immutable lookup table of every held form, swapped whole on each change. */
  private static final class Index {
    static final Index EMPTY = new Index(new int[0], new long[0], new long[0]);

    /** Ascending, with base^length of each at the same position in {@code powers}. */
    private final int[] lengths;
    private final long[] powers;
    /** Open addressing, linear probing; 0 marks an empty slot. */
    private final long[] table;

    private Index(int[] lengths, long[] powers, long[] table) {
      this.lengths = lengths;
      this.powers = powers;
      this.table = table;
    }

    static Index of(Iterable<Held> values, Hasher hasher) {
      TreeSet<Integer> lengths = new TreeSet<>();
      List<Long> keys = new ArrayList<>();
      for (Held held : values) {
        for (Form form : held.forms()) {
          // A short stripped form would redact ordinary words.
          if (form.length() >= MIN_LENGTH) {
            lengths.add(form.length());
            keys.add(key(form.length(), form.hash()));
          }
        }
      }
      if (keys.isEmpty()) {
        return EMPTY;
      }
      long[] table = new long[Integer.highestOneBit(keys.size() * 4 - 1) << 1];
      for (long key : keys) {
        int slot = slot(key, table.length - 1);
        while (table[slot] != 0 && table[slot] != key) {
          slot = (slot + 1) & (table.length - 1);
        }
        table[slot] = key;
      }
      int[] sorted = lengths.stream().mapToInt(Integer::intValue).toArray();
      long[] powers = new long[sorted.length];
      for (int i = 0; i < sorted.length; i++) {
        powers[i] = hasher.power(sorted[i]);
      }
      return new Index(sorted, powers, table);
    }

    boolean isEmpty() {
      return table.length == 0;
    }

    int shortest() {
      return lengths[0];
    }

    int[] lengths() {
      return lengths;
    }

    long power(int position) {
      return powers[position];
    }

    boolean contains(int length, long hash) {
      long key = key(length, hash);
      int mask = table.length - 1;
      for (int slot = slot(key, mask); table[slot] != 0; slot = (slot + 1) & mask) {
        if (table[slot] == key) {
          return true;
        }
      }
      return false;
    }

    private static long key(int length, long hash) {
      long key = hash ^ (length * 0x9E3779B97F4A7C15L);
      return key == 0 ? 1 : key;
    }

    private static int slot(long key, int mask) {
      return (int) ((key * 0xC2B2AE3D27D4EB4FL) >>> 40) & mask;
    }
  }

  /** Polynomial hashing modulo the Mersenne prime 2^61 - 1 under a random base. */
  static final class Hasher {
    static final long P = (1L << 61) - 1;
    private final long base;

    Hasher(Random random) {
      long b;
      do {
        b = random.nextLong() & P;
      } while (b < (1L << 32) || b >= P);
      this.base = b;
    }

    long hash(char[] chars) {
      long h = 0;
      for (char c : chars) {
        h = add(mul(h, base), c + 1);
      }
      return h;
    }

    long hash(byte[] bytes) {
      long h = 0;
      for (byte b : bytes) {
        h = add(mul(h, base), (b & 0xFF) + 1);
      }
      return h;
    }

    /** prefix[i] is the hash of the first i characters of {@code text}. */
    long[] prefixHashes(String text) {
      long[] prefix = new long[text.length() + 1];
      for (int i = 0; i < text.length(); i++) {
        prefix[i + 1] = add(mul(prefix[i], base), text.charAt(i) + 1);
      }
      return prefix;
    }

    /** The hash of text[start, start + length), given base^length. */
    long window(long[] prefix, int start, int length, long power) {
      return sub(prefix[start + length], mul(prefix[start], power));
    }

    long power(int length) {
      long result = 1;
      for (int i = 0; i < length; i++) {
        result = mul(result, base);
      }
      return result;
    }

    static long mul(long a, long b) {
      long high = Math.multiplyHigh(a, b);
      long low = a * b;
      long result = (low & P) + ((low >>> 61) | (high << 3));
      result = (result & P) + (result >>> 61);
      return result >= P ? result - P : result;
    }

    private static long add(long a, long b) {
      long result = a + b;
      return result >= P ? result - P : result;
    }

    private static long sub(long a, long b) {
      long result = a - b;
      return result < 0 ? result + P : result;
    }
  }
}
