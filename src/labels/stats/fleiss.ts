// Fleiss' kappa (Fleiss 1971): chance-corrected agreement of many raters sorting items into categories.
// The per-item term is what review bands are cut on; the set-level kappa is what `prefloop agreement` reports.

/** Per-item agreement and the chance agreement of the whole set. */
export interface FleissItems {
  /**
   * (P_i − P_e) / (1 − P_e) for each item, where P_i is the share of agreeing rater pairs on the item.
   * NaN for an item with fewer than two ratings (no pair to agree). When P_e = 1 (every rating of the
   * whole set falls in one category) every rated item is unanimous and its term is defined as 1.
   */
  perItem: number[];
  /** P_e = Σ_k p_k², p_k the share of all ratings in category k. */
  pe: number;
}

/** Share of agreeing ordered rater pairs on one item: (Σ n_k² − n) / (n (n − 1)); NaN when n < 2. */
export function itemAgreement(row: readonly number[]): number {
  let n = 0;
  let sq = 0;
  for (const c of row) {
    n += c;
    sq += c * c;
  }
  return n < 2 ? Number.NaN : (sq - n) / (n * (n - 1));
}

/** P_e over the whole set: Σ_k p_k² with p_k the share of all ratings in category k. */
export function chanceAgreement(counts: readonly (readonly number[])[]): number {
  const totals: number[] = [];
  let all = 0;
  for (const row of counts) {
    row.forEach((c, k) => {
      totals[k] = (totals[k] ?? 0) + c;
      all += c;
    });
  }
  if (all === 0) return Number.NaN;
  return totals.reduce((s, t) => s + (t / all) ** 2, 0);
}

function checkCounts(counts: readonly (readonly number[])[]): void {
  counts.forEach((row, i) => {
    row.forEach((c, k) => {
      if (!Number.isInteger(c) || c < 0) {
        throw new RangeError(`fleiss: counts[${i}][${k}] must be a non-negative integer, got ${c}`);
      }
    });
  });
}

/**
 * counts[i][k] = raters putting item i in category k. Items may have different numbers of raters
 * (P_e then weights each rating equally); the per-item term is the one review bands are cut on.
 */
export function fleissItemAgreement(counts: readonly (readonly number[])[]): FleissItems {
  checkCounts(counts);
  const pe = chanceAgreement(counts);
  const perItem = counts.map((row) => {
    const pi = itemAgreement(row);
    if (Number.isNaN(pi)) return pi;
    return pe >= 1 ? 1 : (pi - pe) / (1 - pe);
  });
  return { perItem, pe };
}

/**
 * Fleiss' kappa of the set: (P̄ − P_e) / (1 − P_e), P̄ the mean of P_i over items with two or more
 * ratings. Defined for a fixed number of raters per item (Fleiss 1971); with varying numbers it is the
 * common generalisation. 1 when P_e = 1 (see fleissItemAgreement); NaN when no item has two ratings.
 */
export function fleissKappa(counts: readonly (readonly number[])[]): number {
  checkCounts(counts);
  const pe = chanceAgreement(counts);
  let sum = 0;
  let items = 0;
  for (const row of counts) {
    const pi = itemAgreement(row);
    if (Number.isNaN(pi)) continue;
    sum += pi;
    items += 1;
  }
  if (items === 0 || Number.isNaN(pe)) return Number.NaN;
  if (pe >= 1) return 1;
  return (sum / items - pe) / (1 - pe);
}
