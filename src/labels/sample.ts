// Which pairs people label, and who labels each: a seeded, stratified draw with balanced assignment. Pure
// but for the A/B order, which is drawn apart from the seed.
import { randomBytes } from 'node:crypto';
import { seededRandom } from '../seededRandom.js';

/** A pair that may be sampled: its primary source and whether its margin is in the low-margin band. */
export interface Candidate {
  pair_id: string;
  source: string;
  margin: number;
  /** The source's own noise floor for this pair (rubric pairs carry it in metadata); NaN when none. */
  noise_floor: number;
}

export interface SampleOptions {
  /** Pairs to draw (fewer when fewer candidates). */
  n: number;
  annotators: readonly string[];
  /** Annotators per pair (default 3, at most the number of annotators). */
  perItem: number;
  seed: number;
  /** Weight of a low-margin candidate against 1 for the others (default 2). */
  lowMarginWeight?: number;
}

export interface PlannedItem {
  pair_id: string;
  source: string;
  /** `<source>` or `<source>/low_margin`. */
  stratum: string;
  /** Each annotator with their own A/B order: a_is_chosen = answer A (left, key 1) is the chosen one. */
  assignees: { annotator_id: string; a_is_chosen: boolean }[];
}

export interface SamplePlan {
  items: PlannedItem[];
  /** Pairs drawn per stratum. */
  strata: Record<string, number>;
  /** Items assigned per annotator. */
  load: Record<string, number>;
}

const ANNOTATOR_ID = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;

/** Every problem with the options, named (empty when they are usable). */
export function sampleProblems(o: SampleOptions): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(o.n) || o.n < 1) problems.push(`--n must be a whole number >= 1, got ${o.n}`);
  if (o.annotators.length === 0)
    problems.push('--annotators names no annotator (e.g. --annotators ann,bob,cy)');
  for (const a of o.annotators)
    if (!ANNOTATOR_ID.test(a))
      problems.push(
        `annotator ${JSON.stringify(a)}: use letters, digits, _ . @ - (up to 64, starting with a letter or digit)`,
      );
  const dup = o.annotators.filter((a, i) => o.annotators.indexOf(a) !== i);
  if (dup.length) problems.push(`annotators named twice: ${[...new Set(dup)].join(', ')}`);
  if (!Number.isInteger(o.perItem) || o.perItem < 1)
    problems.push(`--per-item must be a whole number >= 1, got ${o.perItem}`);
  else if (o.annotators.length > 0 && o.perItem > o.annotators.length)
    problems.push(
      `--per-item ${o.perItem} needs at least ${o.perItem} annotators (got ${o.annotators.length})`,
    );
  if (!Number.isInteger(o.seed)) problems.push(`--seed must be a whole number, got ${o.seed}`);
  return problems;
}

/**
 * The low-margin band: a pair whose margin is within twice its noise floor (rubric pairs: the gap only just
 * clears the floor) or, for a source without a floor, in the lowest quarter of that source's margins (none
 * when all its margins are alike).
 */
export function lowMarginSet(candidates: readonly Candidate[]): Set<string> {
  const low = new Set<string>();
  const bySource = groupBy(candidates, (c) => c.source);
  for (const group of bySource.values()) {
    const floorless = group.filter((c) => !(c.noise_floor > 0));
    const margins = floorless.map((c) => c.margin).sort((a, b) => a - b);
    const q1 = margins.length ? (margins[Math.floor((margins.length - 1) / 4)] as number) : Number.NaN;
    for (const c of group) {
      // Margins all alike (thumbs pairs often are) say nothing about which pairs are close calls.
      const spread = margins.length > 0 && q1 < (margins[margins.length - 1] as number);
      if (
        c.noise_floor > 0 ? c.margin <= 2 * c.noise_floor : floorless.length >= 4 && spread && c.margin <= q1
      )
        low.add(c.pair_id);
    }
  }
  return low;
}

/**
 * Draws up to n pairs: each source gets an equal share (what a small source cannot fill goes to the others,
 * so every source's agreement with people can be measured), within a source low-margin pairs are drawn with
 * lowMarginWeight times the chance of the others (weighted sampling without replacement), and each drawn
 * pair goes to perItem annotators, always those with the fewest items so far (ties broken at random).
 * The same candidates, options and seed give the same plan.
 */
export function planSample(candidates: readonly Candidate[], o: SampleOptions): SamplePlan {
  const problems = sampleProblems(o);
  if (problems.length) throw new Error(`review sample:\n  ${problems.join('\n  ')}`);
  const random = seededRandom(o.seed);
  const weight = o.lowMarginWeight ?? 2;
  const low = lowMarginSet(candidates);
  // Sorted input, so the plan does not depend on the order the store returned rows in.
  const sorted = [...candidates].sort((a, b) => (a.pair_id < b.pair_id ? -1 : a.pair_id > b.pair_id ? 1 : 0));
  const bySource = [...groupBy(sorted, (c) => c.source)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const quota = equalShares(
    bySource.map(([, g]) => g.length),
    Math.min(o.n, sorted.length),
  );
  const drawn: Candidate[] = [];
  bySource.forEach(([, group], i) => {
    // Efraimidis–Spirakis: key u^(1/w), the largest keys are a weighted sample without replacement.
    const keyed = group.map((c) => ({ c, key: Math.pow(random(), 1 / (low.has(c.pair_id) ? weight : 1)) }));
    keyed.sort((a, b) => b.key - a.key);
    drawn.push(...keyed.slice(0, quota[i]).map((k) => k.c));
  });
  // Interleave sources in a random order so an annotator working through the queue sees a mix.
  const order = drawn.map((c) => ({ c, key: random() })).sort((a, b) => a.key - b.key);
  const load = new Map(o.annotators.map((a) => [a, 0]));
  const strata: Record<string, number> = {};
  const items = order.map(({ c }) => {
    const stratum = low.has(c.pair_id) ? `${c.source}/low_margin` : c.source;
    strata[stratum] = (strata[stratum] ?? 0) + 1;
    const chosen = o.annotators
      .map((a) => ({ a, tie: random() }))
      .sort((x, y) => (load.get(x.a) as number) - (load.get(y.a) as number) || x.tie - y.tie)
      .slice(0, o.perItem)
      .map((x) => x.a);
    for (const a of chosen) load.set(a, (load.get(a) as number) + 1);
    return {
      pair_id: c.pair_id,
      source: c.source,
      stratum,
      // The A/B order is not drawn from the seed: anyone who knew the seed and the candidates could recompute it.
      assignees: chosen
        .sort()
        .map((annotator_id) => ({ annotator_id, a_is_chosen: randomBytes(1)[0]! < 128 })),
    };
  });
  return { items, strata, load: Object.fromEntries(load) };
}

/** Splits total into equal shares capped by each group's size, the remainder going to groups with room. */
export function equalShares(sizes: readonly number[], total: number): number[] {
  const share = sizes.map(() => 0);
  let left = Math.min(
    total,
    sizes.reduce((s, x) => s + x, 0),
  );
  while (left > 0) {
    const open = sizes.map((s, i) => i).filter((i) => (share[i] as number) < (sizes[i] as number));
    const each = Math.max(1, Math.floor(left / open.length));
    for (const i of open) {
      if (left === 0) break;
      const add = Math.min(each, (sizes[i] as number) - (share[i] as number), left);
      share[i] = (share[i] as number) + add;
      left -= add;
    }
  }
  return share;
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const g = m.get(k);
    if (g) g.push(x);
    else m.set(k, [x]);
  }
  return m;
}
