/**
 * Expected hypervolume improvement (EHVI) in two dimensions, both minimised, for a candidate whose
 * first coordinate is known exactly (e.g. MACs, computed) and whose second is uncertain,
 * y ~ Normal(mu, s²) (e.g. −accuracy from a predictor with a known typical error). Closed form: with
 * the front's attainment as a step function of y, the improvement of a point (x, y) is
 * HVI(y) = ∫_y^ŷ w(v) dv, where w(v) is the width along x that the point would add at level v and
 * ŷ the level of the front at x; hence EHVI = ∫ P(Y ≤ v) w(v) dv, a sum over the steps of
 * s·w·[G(z_hi) − G(z_lo)] with G(z) = z·Φ(z) + φ(z).
 */

const INV_SQRT_2PI = 0.3989422804014327;

/** Standard normal CDF: Hart's algorithm 5666 as given by G. West, "Better approximations to cumulative normal functions" (2005); double precision. */
export function normCdf(z: number): number {
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  const a = Math.abs(z);
  let p: number;
  if (a > 37) p = 0;
  else {
    const e = Math.exp((-a * a) / 2);
    if (a < 7.07106781186547) {
      let n = 0.0352624965998911 * a + 0.700383064443688;
      n = n * a + 6.37396220353165;
      n = n * a + 33.912866078383;
      n = n * a + 112.079291497871;
      n = n * a + 221.213596169931;
      n = n * a + 220.206867912376;
      let d = 0.0883883476483184 * a + 1.75566716318264;
      d = d * a + 16.064177579207;
      d = d * a + 86.7807322029461;
      d = d * a + 296.564248779674;
      d = d * a + 637.333633378831;
      d = d * a + 793.826512519948;
      d = d * a + 440.413735824752;
      p = (e * n) / d;
    } else {
      const b = a + 1 / (a + 2 / (a + 3 / (a + 4 / (a + 0.65))));
      p = e / b / 2.506628274631;
    }
  }
  return z > 0 ? 1 - p : p;
}

/** G(z) = z·Φ(z) + φ(z) = ∫_{−∞}^{z} Φ(t) dt. */
function G(z: number): number {
  if (z === -Infinity) return 0;
  return z * normCdf(z) + INV_SQRT_2PI * Math.exp((-z * z) / 2);
}

/**
 * EHVI of a candidate (x known, y ~ N(mu, s²)) over `front` (minimised; dominated points are
 * ignored) within the box below `ref`. s = 0 gives the plain improvement of (x, mu).
 */
export function ehvi2d(front: ReadonlyArray<readonly number[]>, ref: readonly number[], x: number, mu: number, s: number): number {
  return ehvi2dAgainst(front, ref)(x, mu, s);
}

/**
 * ehvi2d against one front, prepared once for many candidates: `front` minimised (any order;
 * dominated points are dropped), `ref` the reference point.
 */
export function ehvi2dAgainst(front: ReadonlyArray<readonly number[]>, ref: readonly number[]): (x: number, mu: number, s: number) => number {
  const [rx, ry] = [ref[0]!, ref[1]!];
  // non-dominated, by x ascending (so y descending)
  const pts = [...front].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const p of pts) {
    if (ys.length && p[1]! >= ys[ys.length - 1]!) continue;
    xs.push(p[0]!);
    ys.push(p[1]!);
  }
  return (x, mu, s) => {
    if (!(x < rx)) return 0;
    // last point with x_i <= x: the front's level there
    let a = 0;
    let b = xs.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (xs[mid]! <= x) a = mid + 1;
      else b = mid;
    }
    const yHat = a > 0 ? Math.min(ys[a - 1]!, ry) : ry;
    let lo = -Infinity;
    let X = rx;
    let sum = 0;
    // steps: the points right of x, by y ascending = x descending
    for (let i = xs.length - 1; i >= a; i--) {
      const hi = Math.min(ys[i]!, yHat);
      const w = X - x;
      if (w > 0 && hi > lo) {
        if (s > 0) sum += w * s * (G((hi - mu) / s) - G((lo - mu) / s));
        else if (mu < hi) sum += w * (hi - Math.max(lo, mu));
      }
      lo = Math.max(lo, hi);
      X = Math.min(X, xs[i]!);
    }
    const w = X - x;
    if (w > 0 && yHat > lo) {
      if (s > 0) sum += w * s * (G((yHat - mu) / s) - G((lo - mu) / s));
      else if (mu < yHat) sum += w * (yHat - Math.max(lo, mu));
    }
    return sum;
  };
}
