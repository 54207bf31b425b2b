// Krippendorff's alpha by the coincidence-matrix method (Krippendorff 2011, "Computing Krippendorff's
// Alpha-Reliability"): any number of raters, missing ratings, nominal/ordinal/interval/ratio metrics.

export type MeasurementLevel = 'nominal' | 'ordinal' | 'interval' | 'ratio';
export const MEASUREMENT_LEVELS: readonly MeasurementLevel[] = ['nominal', 'ordinal', 'interval', 'ratio'];

export interface AlphaOptions {
  level?: MeasurementLevel;
  /**
   * The values in order (ordinal on strings needs it; it also fixes the value domain). Default: the
   * values seen, numbers sorted numerically, strings sorted.
   */
  values?: readonly (string | number)[];
}

export interface AlphaResult {
  alpha: number;
  /** Observed disagreement D_o (Σ o_ck δ²_ck / n). */
  observed: number;
  /** Expected disagreement D_e (Σ n_c n_k δ²_ck / (n (n − 1))). */
  expected: number;
  /** Pairable values n: values in units with two or more ratings. */
  pairable: number;
  /** Units with two or more ratings (the rest carry no information on agreement). */
  units: number;
}

type Value = string | number;

/** Value domain in order, and each value's index (keyed by its text, so 2 and '2' are one value). */
export function valueDomain(
  units: readonly (readonly Value[])[],
  given?: readonly Value[],
): { values: Value[]; index: Map<string, number> } {
  let values: Value[];
  if (given) values = [...given];
  else {
    const seen = [...new Map(units.flat().map((v) => [String(v), v])).values()];
    values = seen.every((v) => typeof v === 'number')
      ? (seen as number[]).sort((a, b) => a - b)
      : seen.map(String).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  return { values, index: new Map(values.map((v, i) => [String(v), i])) };
}

/** The coincidence matrix o[c][k]: each ordered pair of values within a unit counts 1/(m_u − 1). */
export function coincidences(
  units: readonly (readonly Value[])[],
  index: ReadonlyMap<string, number>,
): number[][] {
  const size = index.size;
  const o = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  units.forEach((unit, u) => {
    const m = unit.length;
    if (m < 2) return;
    const ix = unit.map((v) => {
      const i = index.get(String(v));
      if (i === undefined)
        throw new RangeError(`krippendorffAlpha: unit ${u}: value ${String(v)} is not in the value domain`);
      return i;
    });
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < m; b++) {
        if (a === b) continue;
        const row = o[ix[a] as number] as number[];
        row[ix[b] as number] = (row[ix[b] as number] as number) + 1 / (m - 1);
      }
    }
  });
  return o;
}

/** δ²(c, k) for the level, on domain indices (values for interval/ratio, marginals for ordinal). */
export function distanceFunction(
  level: MeasurementLevel,
  values: readonly Value[],
  marginals: readonly number[],
): (c: number, k: number) => number {
  const num = (i: number): number => {
    const v = Number(values[i]);
    if (!Number.isFinite(v))
      throw new RangeError(`krippendorffAlpha: ${level} needs numeric values, got ${String(values[i])}`);
    return v;
  };
  switch (level) {
    case 'nominal':
      return (c, k) => (c === k ? 0 : 1);
    case 'ordinal':
      return (c, k) => {
        const [lo, hi] = c < k ? [c, k] : [k, c];
        let s = 0;
        for (let g = lo; g <= hi; g++) s += marginals[g] as number;
        return (s - ((marginals[lo] as number) + (marginals[hi] as number)) / 2) ** 2;
      };
    case 'interval':
      return (c, k) => (num(c) - num(k)) ** 2;
    case 'ratio':
      return (c, k) => {
        const a = num(c);
        const b = num(k);
        return a + b === 0 ? 0 : ((a - b) / (a + b)) ** 2;
      };
  }
}

/**
 * Alpha of units given as lists of the ratings each received (a missing rating simply absent; order
 * within a unit does not matter). alpha = 1 − D_o / D_e. NaN when fewer than two pairable values;
 * 1 when D_e = 0 (a single value throughout: no disagreement observed nor possible).
 */
export function krippendorffAlpha(
  units: readonly (readonly Value[])[],
  options: AlphaOptions = {},
): AlphaResult {
  const level = options.level ?? 'nominal';
  if (level === 'ordinal' && !options.values && units.flat().some((v) => typeof v !== 'number')) {
    throw new RangeError('krippendorffAlpha: ordinal on text values needs their order (options.values)');
  }
  const { values, index } = valueDomain(units, options.values);
  const o = coincidences(units, index);
  const marginals = o.map((row) => row.reduce((s, x) => s + x, 0));
  const n = marginals.reduce((s, x) => s + x, 0);
  const pairableUnits = units.filter((u) => u.length >= 2).length;
  if (n < 2)
    return {
      alpha: Number.NaN,
      observed: Number.NaN,
      expected: Number.NaN,
      pairable: n,
      units: pairableUnits,
    };
  const d = distanceFunction(level, values, marginals);
  let dObs = 0;
  let dExp = 0;
  for (let c = 0; c < values.length; c++) {
    for (let k = 0; k < values.length; k++) {
      if (c === k) continue;
      const dist = d(c, k);
      dObs += ((o[c] as number[])[k] as number) * dist;
      dExp += (marginals[c] as number) * (marginals[k] as number) * dist;
    }
  }
  const observed = dObs / n;
  const expected = dExp / (n * (n - 1));
  const alpha = expected === 0 ? 1 : 1 - observed / expected;
  return { alpha, observed, expected, pairable: Math.round(n * 1e9) / 1e9, units: pairableUnits };
}
