// Cohen's kappa for two raters (Cohen 1960), and the weighted kappa for ordered categories (Cohen 1968).

/** Weighting of disagreements: none (nominal), |i−j| (linear) or (i−j)² (quadratic), on category ranks. */
export type KappaWeights = 'none' | 'linear' | 'quadratic';

export interface CohenOptions {
  weights?: KappaWeights;
  /**
   * The categories in order. Needed for weighted kappa on strings (the rank of a category is its index
   * here); also lets a category that neither rater used count. Default: the values seen, numbers sorted
   * numerically, strings sorted.
   */
  categories?: readonly (string | number)[];
}

/** Kappa with its parts. */
export interface CohenResult {
  kappa: number;
  /** Observed agreement (1 − weighted observed disagreement for weighted kappa). */
  po: number;
  /** Chance agreement from the two raters' margins. */
  pe: number;
  n: number;
}

type Value = string | number;

function categoriesOf(a: readonly Value[], b: readonly Value[], given?: readonly Value[]): Value[] {
  if (given) return [...given];
  const seen = [...new Set<Value>([...a, ...b])];
  const numeric = seen.every((v) => typeof v === 'number');
  return numeric
    ? (seen as number[]).sort((x, y) => x - y)
    : seen.map(String).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/**
 * Kappa and its parts. kappa = 1 − D_o / D_e (weighted disagreements; for unweighted this is the usual
 * (p_o − p_e) / (1 − p_e)). When D_e = 0 both raters used one and the same category throughout, so they
 * agree perfectly and kappa is defined as 1 (scikit-learn reports NaN there). Empty input → NaN.
 */
export function cohenKappaDetail(
  a: readonly Value[],
  b: readonly Value[],
  options: CohenOptions = {},
): CohenResult {
  if (a.length !== b.length) {
    throw new RangeError(
      `cohenKappa: the raters have ${a.length} and ${b.length} ratings; they must rate the same items`,
    );
  }
  const n = a.length;
  if (n === 0) return { kappa: Number.NaN, po: Number.NaN, pe: Number.NaN, n };
  const cats = categoriesOf(a, b, options.categories);
  // Keyed by text so 2 and '2' are one category (ratings often arrive as strings from files).
  const index = new Map<string, number>(cats.map((c, i) => [String(c), i]));
  const rank = (v: Value, who: string, i: number): number => {
    const r = index.get(String(v));
    if (r === undefined)
      throw new RangeError(
        `cohenKappa: rater ${who} item ${i}: value ${String(v)} is not among the categories`,
      );
    return r;
  };
  const k = cats.length;
  const weights = options.weights ?? 'none';
  const w = (i: number, j: number): number =>
    weights === 'none' ? (i === j ? 0 : 1) : weights === 'linear' ? Math.abs(i - j) : (i - j) ** 2;
  const table = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const rowM = new Array<number>(k).fill(0);
  const colM = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const x = rank(a[i] as Value, 'a', i);
    const y = rank(b[i] as Value, 'b', i);
    (table[x] as number[])[y] = ((table[x] as number[])[y] as number) + 1;
    rowM[x] = (rowM[x] as number) + 1;
    colM[y] = (colM[y] as number) + 1;
  }
  let dObs = 0;
  let dExp = 0;
  let po = 0;
  let pe = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const obs = ((table[i] as number[])[j] as number) / n;
      const exp = ((rowM[i] as number) / n) * ((colM[j] as number) / n);
      dObs += w(i, j) * obs;
      dExp += w(i, j) * exp;
      if (i === j) {
        po += obs;
        pe += exp;
      }
    }
  }
  const wmax = weights === 'none' ? 1 : weights === 'linear' ? Math.max(1, k - 1) : Math.max(1, (k - 1) ** 2);
  const kappa = dExp === 0 ? 1 : 1 - dObs / dExp;
  // For weighted kappa report agreement on the weighted scale (1 − D/wmax), so po/pe fit the formula.
  return weights === 'none' ? { kappa, po, pe, n } : { kappa, po: 1 - dObs / wmax, pe: 1 - dExp / wmax, n };
}

/** Cohen's kappa of two raters over the same items (see cohenKappaDetail for the degenerate cases). */
export function cohenKappa(a: readonly Value[], b: readonly Value[], options: CohenOptions = {}): number {
  return cohenKappaDetail(a, b, options).kappa;
}
