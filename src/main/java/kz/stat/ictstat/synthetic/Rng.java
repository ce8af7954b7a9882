package kz.stat.ictstat.synthetic;

/**
 * Counter-based randomness: every draw is a pure function of (seed, unit, stream, year), so a
 * unit's values do not depend on the order of generation and the same seed always gives the same
 * population (SplitMix64 finaliser).
 */
final class Rng {
  private Rng() {}

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  static long hash(long seed, long unit, long stream, long year) {
    long h = mix(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
    h = mix(h ^ (unit * 0xD1B54A32D192ED03L));
    h = mix(h ^ (stream * 0x8CB92BA72F3D8DD7L));
    return mix(h ^ (year * 0xAEF17502108EF2D9L));
  }

  /** Uniform in [0, 1). */
  static double u(long seed, long unit, long stream, long year) {
    return (hash(seed, unit, stream, year) >>> 11) * 0x1.0p-53;
  }

  /** Standard normal (Box-Muller on two independent uniforms). */
  static double normal(long seed, long unit, long stream, long year) {
    double u1 = 1.0 - u(seed, unit, stream, year);
    double u2 = u(seed, unit, stream ^ 0x5DEECE66DL, year);
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Standard logistic. */
  static double logistic(long seed, long unit, long stream, long year) {
    double x = Math.min(Math.max(u(seed, unit, stream, year), 1e-12), 1 - 1e-12);
    return Math.log(x / (1 - x));
  }

  /** A stable stream id for a name (item id, error type). */
  static long stream(String name) {
    long h = 1125899906842597L;
    for (int i = 0; i < name.length(); i++) h = 31 * h + name.charAt(i);
    return mix(h);
  }
}
