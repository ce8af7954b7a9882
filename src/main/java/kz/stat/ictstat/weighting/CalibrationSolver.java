package kz.stat.ictstat.weighting;

/**
 * The Newton iteration of generalised raking (Deville and Särndal 1992; the algorithm of R {@code
 * survey:::grake}) on aggregated moments: find λ with Σ_k w_k F(x_k'λ) x_k = t, where t are the
 * known totals and F the calibration function with bounds [L, U]:
 *
 * <ul>
 *   <li>linear (GREG, chi-square distance): F(u) = min(max(1 + u, L), U), F'(u) = 1 inside;
 *   <li>raking (multiplicative): F(u) = min(max(exp(u), L), U), F'(u) = exp(u) inside.
 * </ul>
 *
 * <p>Step: λ ← λ + T⁺ (t − Σ w F(x'λ) x), T = Σ w F'(x'λ) x x' (p × p, Moore–Penrose inverse so
 * that redundant margins — e.g. regions and sections both summing to the frame total — are
 * allowed), halving the step while a g-weight is not finite. Converged when max_j |t_j − t̂_j| / (1
 * + |t_j|) &lt; tolerance (R's criterion). Unit data never reach this class: the caller supplies
 * the moments at λ, aggregated wherever the units are.
 */
public final class CalibrationSolver {
  private CalibrationSolver() {}

  /** Moments Σ w F(x'λ) x and Σ w F'(x'λ) x x' at λ, and whether every g-weight was finite. */
  record Moments(double[] total, double[][] hessian, boolean finite) {}

  /** Evaluates the moments at λ. */
  interface MomentSource {
    Moments at(double[] lambda);
  }

  /** The solution: λ, Newton steps taken, whether converged, the largest |t − t̂| / |t|. */
  record Solution(double[] lambda, int iterations, boolean converged, double maxRelDeviation) {}

  static Solution solve(
      double[] targets, MomentSource source, int maxIterations, double tolerance) {
    int p = targets.length;
    double[] lambda = new double[p];
    Moments m = source.at(lambda);
    int it = 0;
    while (true) {
      if (criterion(targets, m.total()) < tolerance) {
        return new Solution(lambda, it, true, relDeviation(targets, m.total()));
      }
      if (it >= maxIterations) {
        return new Solution(lambda, it, false, relDeviation(targets, m.total()));
      }
      double[] misfit = new double[p];
      for (int j = 0; j < p; j++) misfit[j] = targets[j] - m.total()[j];
      double[] step = multiply(pseudoInverse(m.hessian()), misfit);
      double[] next = add(lambda, step, 1.0);
      Moments nm = source.at(next);
      it++;
      while (!nm.finite() && it < maxIterations) {
        for (int j = 0; j < p; j++) step[j] /= 2;
        next = add(lambda, step, 1.0);
        nm = source.at(next);
        it++;
      }
      lambda = next;
      m = nm;
    }
  }

  static double criterion(double[] t, double[] est) {
    double c = 0;
    for (int j = 0; j < t.length; j++)
      c = Math.max(c, Math.abs(t[j] - est[j]) / (1 + Math.abs(t[j])));
    return Double.isNaN(c) ? Double.POSITIVE_INFINITY : c;
  }

  static double relDeviation(double[] t, double[] est) {
    double c = 0;
    for (int j = 0; j < t.length; j++) {
      double d = Math.abs(t[j] - est[j]);
      c = Math.max(c, t[j] == 0 ? d : d / Math.abs(t[j]));
    }
    return c;
  }

  private static double[] add(double[] a, double[] b, double s) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) r[i] = a[i] + s * b[i];
    return r;
  }

  /** a v. */
  public static double[] multiply(double[][] a, double[] v) {
    double[] r = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      double s = 0;
      for (int j = 0; j < v.length; j++) s += a[i][j] * v[j];
      r[i] = s;
    }
    return r;
  }

  /**
   * Moore–Penrose inverse of a symmetric positive semi-definite matrix by the cyclic Jacobi
   * eigenvalue method; eigenvalues below 256 ε · max eigenvalue count as zero (as MASS::ginv).
   */
  public static double[][] pseudoInverse(double[][] s) {
    int n = s.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) a[i] = s[i].clone();
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) v[i][i] = 1;
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      double diag = 0;
      for (int i = 0; i < n; i++) {
        diag += a[i][i] * a[i][i];
        for (int j = i + 1; j < n; j++) off += a[i][j] * a[i][j];
      }
      if (!(off > 1e-34 * diag)) break;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (a[p][q] == 0) continue;
          double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) t = 1;
          double c = 1 / Math.sqrt(t * t + 1);
          double sn = t * c;
          for (int k = 0; k < n; k++) {
            double akp = a[k][p];
            double akq = a[k][q];
            a[k][p] = c * akp - sn * akq;
            a[k][q] = sn * akp + c * akq;
          }
          for (int k = 0; k < n; k++) {
            double apk = a[p][k];
            double aqk = a[q][k];
            a[p][k] = c * apk - sn * aqk;
            a[q][k] = sn * apk + c * aqk;
          }
          for (int k = 0; k < n; k++) {
            double vkp = v[k][p];
            double vkq = v[k][q];
            v[k][p] = c * vkp - sn * vkq;
            v[k][q] = sn * vkp + c * vkq;
          }
        }
      }
    }
    double max = 0;
    for (int i = 0; i < n; i++) max = Math.max(max, Math.abs(a[i][i]));
    double tol = 256 * Math.ulp(1.0) * max;
    double[][] r = new double[n][n];
    for (int k = 0; k < n; k++) {
      double e = a[k][k];
      if (!(Math.abs(e) > tol)) continue;
      for (int i = 0; i < n; i++) {
        double vi = v[i][k] / e;
        if (vi == 0) continue;
        for (int j = 0; j < n; j++) r[i][j] += vi * v[j][k];
      }
    }
    return r;
  }
}
