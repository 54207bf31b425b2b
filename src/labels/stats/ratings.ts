// A ratings table (unit, annotator, value) turned into each statistic's input, and the agreement report
// `prefloop agreement` prints: Krippendorff's alpha, Fleiss' kappa and Cohen's kappa with bootstrap intervals.
import { bootstrapInterval, type BootstrapOptions } from './bootstrap.js';
import { cohenKappa } from './cohen.js';
import { fleissKappa } from './fleiss.js';
import { krippendorffAlpha, type MeasurementLevel } from './krippendorff.js';

export interface Rating {
  unit: string;
  annotator: string;
  value: string | number;
}

/** A statistic with its bootstrap 95% interval (resampling units). */
export interface Estimate {
  value: number;
  ci_low: number;
  ci_high: number;
  /** Units the statistic is computed on. */
  items: number;
}

export interface RatingsReport {
  units: number;
  annotators: number;
  ratings: number;
  level: MeasurementLevel;
  krippendorff_alpha: Estimate;
  /**
   * Only at the nominal level (DESIGN.md): a kappa treats every two different values as total
   * disagreement, so beside an ordinal/interval/ratio alpha it would misstate the same data. When every
   * unit has the same number (≥ 2) of ratings, or `fleiss: 'any'`.
   */
  fleiss_kappa?: Estimate;
  /** Only at the nominal level (see fleiss_kappa); when there are exactly two annotators (units both rated). */
  cohen_kappa?: Estimate;
}

export interface ReportOptions extends BootstrapOptions {
  level?: MeasurementLevel;
  /** 'fixed' (default): Fleiss only when every unit has the same number of ratings; 'any': on units with ≥ 2. */
  fleiss?: 'fixed' | 'any';
}

/** Ratings grouped by unit, in first-seen order: unit → annotator → value (a later duplicate is refused upstream). */
export function byUnit(ratings: readonly Rating[]): Map<string, Map<string, string | number>> {
  const units = new Map<string, Map<string, string | number>>();
  for (const r of ratings) {
    let unit = units.get(r.unit);
    if (!unit) units.set(r.unit, (unit = new Map()));
    unit.set(r.annotator, r.value);
  }
  return units;
}

/** Category counts per unit for Fleiss' kappa, over the categories seen (nominal). */
export function categoryCounts(units: readonly (readonly (string | number)[])[]): number[][] {
  const cats = [...new Set(units.flat().map(String))];
  const index = new Map(cats.map((c, i) => [c, i]));
  return units.map((values) => {
    const row = new Array<number>(cats.length).fill(0);
    for (const v of values) {
      const i = index.get(String(v)) as number;
      row[i] = (row[i] as number) + 1;
    }
    return row;
  });
}

/** Two annotators' values on the units both rated, in unit order. */
export function pairedValues(
  units: ReadonlyMap<string, ReadonlyMap<string, string | number>>,
  a: string,
  b: string,
): [(string | number)[], (string | number)[]] {
  const xs: (string | number)[] = [];
  const ys: (string | number)[] = [];
  for (const unit of units.values()) {
    const x = unit.get(a);
    const y = unit.get(b);
    if (x !== undefined && y !== undefined) {
      xs.push(x);
      ys.push(y);
    }
  }
  return [xs, ys];
}

function estimate<T>(
  items: readonly T[],
  stat: (s: readonly T[]) => number,
  options: BootstrapOptions,
): Estimate {
  const ci = bootstrapInterval(items, stat, options);
  return { value: stat(items), ci_low: ci.low, ci_high: ci.high, items: items.length };
}

/** Cohen's kappa of two annotators with its interval (units both rated are resampled together). */
export function cohenEstimate(
  units: ReadonlyMap<string, ReadonlyMap<string, string | number>>,
  a: string,
  b: string,
  options: BootstrapOptions = {},
): Estimate {
  const [xs, ys] = pairedValues(units, a, b);
  const pairs = xs.map((x, i) => [x, ys[i] as string | number] as const);
  return estimate(
    pairs,
    (s) =>
      cohenKappa(
        s.map((p) => p[0]),
        s.map((p) => p[1]),
      ),
    options,
  );
}

/** Every statistic that applies to the table, each with its seeded bootstrap interval. */
export function ratingsReport(ratings: readonly Rating[], options: ReportOptions = {}): RatingsReport {
  const level = options.level ?? 'nominal';
  const grouped = byUnit(ratings);
  const annotators = [...new Set(ratings.map((r) => r.annotator))];
  const lists = [...grouped.values()].map((u) => [...u.values()]);
  const pairable = lists.filter((l) => l.length >= 2);
  const report: RatingsReport = {
    units: grouped.size,
    annotators: annotators.length,
    ratings: ratings.length,
    level,
    krippendorff_alpha: estimate(pairable, (s) => krippendorffAlpha(s, { level }).alpha, options),
  };
  if (level !== 'nominal') return report;
  const sizes = new Set(pairable.map((l) => l.length));
  if (
    pairable.length > 0 &&
    ((options.fleiss ?? 'fixed') === 'any' || (sizes.size === 1 && pairable.length === lists.length))
  ) {
    report.fleiss_kappa = estimate(pairable, (s) => fleissKappa(categoryCounts(s)), options);
  }
  if (annotators.length === 2) {
    report.cohen_kappa = cohenEstimate(grouped, annotators[0] as string, annotators[1] as string, options);
  }
  return report;
}
