/**
 * Das–Dennis reference directions: every point of the unit simplex in m dimensions whose
 * coordinates are multiples of 1/p. There are C(p + m - 1, m - 1) of them.
 */

export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

export function dasDennisCount(m: number, p: number): number {
  return binomial(p + m - 1, m - 1);
}

export function dasDennis(m: number, p: number): number[][] {
  if (m < 1 || p < 0 || !Number.isInteger(m) || !Number.isInteger(p)) throw new Error(`dasDennis: invalid m=${m}, p=${p}`);
  if (m === 1) return [[1]];
  const out: number[][] = [];
  const cur = new Array<number>(m).fill(0);
  const rec = (k: number, left: number) => {
    if (k === m - 1) {
      cur[k] = left / p;
      out.push(cur.slice());
      return;
    }
    for (let i = 0; i <= left; i++) {
      cur[k] = i / p;
      rec(k + 1, left - i);
    }
  };
  if (p === 0) return [new Array<number>(m).fill(1 / m)];
  rec(0, p);
  return out;
}

/** The finest Das–Dennis set with at most `maxCount` directions (at least p = 1). */
export function dasDennisAtMost(m: number, maxCount: number): number[][] {
  let p = 1;
  while (dasDennisCount(m, p + 1) <= maxCount) p++;
  return dasDennis(m, p);
}
