package kz.stat.ictstat.synthetic;

/**
 * Business identification numbers: 12 digits, YYMM of registration, the kind of entity (digit 5),
 * the kind of unit (digit 6), a serial, and a check digit: with d1..d11 the first 11 digits, c = Σ
 * i·d_i mod 11; if c = 10, c = Σ w_i·d_i mod 11 with w = 3..11, 1, 2; if that is 10 again, the
 * number is not issued.
 */
public final class Bins {
  private static final int[] SECOND = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};

  private Bins() {}

  /** The check digit of the first 11 digits, or -1 if the number cannot be issued. */
  public static int checkDigit(String first11) {
    int s = 0;
    for (int i = 0; i < 11; i++) s += (i + 1) * (first11.charAt(i) - '0');
    s %= 11;
    if (s != 10) return s;
    s = 0;
    for (int i = 0; i < 11; i++) s += SECOND[i] * (first11.charAt(i) - '0');
    s %= 11;
    return s == 10 ? -1 : s;
  }

  private static void pad(StringBuilder b, long v, int width) {
    String s = Long.toString(v);
    for (int i = s.length(); i < width; i++) b.append('0');
    b.append(s);
  }

  /** Whether a 12-character text is a BIN with a valid check digit. */
  public static boolean valid(String bin) {
    if (bin == null || bin.length() != 12) return false;
    for (int i = 0; i < 12; i++) if (!Character.isDigit(bin.charAt(i))) return false;
    int c = checkDigit(bin.substring(0, 11));
    return c >= 0 && c == bin.charAt(11) - '0';
  }

  /**
   * The n-th BIN (n = 0, 1, ...) of units registered in {@code year}, or null if that number cannot
   * be issued (the caller takes the next n). Month, kind digits and serial follow from n, so
   * distinct n give distinct numbers (21.6 million per year).
   */
  static String nth(int year, long n) {
    int month = 1 + (int) (n % 12);
    long r = n / 12;
    long serial = r % 100000;
    long q = r / 100000;
    int unitKind = (int) (q % 3);
    int entityKind = 4 + (int) (q / 3);
    if (entityKind > 9) throw new IllegalStateException("BIN space exhausted for " + year);
    String first11 =
        String.format("%02d%02d%d%d%05d", year % 100, month, entityKind, unitKind, serial);
    int c = checkDigit(first11);
    return c < 0 ? null : first11 + c;
  }
}
