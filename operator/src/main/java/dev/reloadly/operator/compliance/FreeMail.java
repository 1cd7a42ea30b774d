package dev.reloadly.operator.compliance;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** Free mail providers: an owner address there is not a company one (guideline C1). */
public final class FreeMail {
  /** Built in; the operator's --free-mail-domains adds more. */
  public static final Set<String> DOMAINS = Set.of(
      "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.de",
      "ymail.com", "rocketmail.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr", "outlook.com",
      "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "proton.me",
      "protonmail.com", "pm.me", "tutanota.com", "tuta.io", "zoho.com", "zohomail.com",
      "gmx.com", "gmx.net", "gmx.de", "web.de", "mail.com", "yandex.com", "yandex.ru", "mail.ru",
      "inbox.com", "fastmail.com", "hushmail.com", "mailfence.com", "qq.com", "163.com",
      "126.com", "sina.com", "naver.com", "daum.net", "rediffmail.com", "libero.it", "orange.fr",
      "laposte.net", "free.fr", "t-online.de", "seznam.cz", "wp.pl", "o2.pl", "interia.pl",
      "btinternet.com", "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "cox.net",
      "earthlink.net", "juno.com", "lycos.com", "rambler.ru", "bk.ru", "list.ru",
      "mailinator.com", "guerrillamail.com", "yopmail.com", "10minutemail.com");

  /** How many the built-in list holds (a constant, for the flag's help text). */
  public static final int SIZE = 69;

  private FreeMail() {}

  /** The built-in list plus {@code extra} (comma-separated, case-insensitive). */
  public static Set<String> with(String extra) {
    Set<String> all = new HashSet<>(DOMAINS);
    if (extra != null) {
      for (String d : extra.split(",")) {
        if (!d.isBlank()) {
          all.add(d.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    return Set.copyOf(all);
  }
}
