// Review labels in the store: append (validated, all-or-nothing), undo, an annotator's queue, disputes and
// resolutions. The HTTP routes and `prefloop review import` both go through here.
import { randomBytes } from 'node:crypto';
import { TABLES } from '../names.js';
import type { Store } from '../sink/Store.js';
import { key, MAX_LABELS, parseLabelRows, resolveLabels } from './labelRows.js';
import type { Assignment, LabelInput } from './labelRows.js';
import { reviewSql } from './reviewSql.js';

/** Labels the caller must fix: every problem, each naming its row. Nothing was stored. */
export class LabelProblems extends Error {
  constructor(readonly problems: string[]) {
    super(`labels refused, nothing stored (${problems.length} problem${problems.length === 1 ? '' : 's'})`);
    this.name = 'LabelProblems';
  }
}

/** The row index a problem names (stable sort keeps a row's problems in order). */
function rowOf(problem: string): number {
  const m = /^row (\d+):/.exec(problem);
  return m ? Number(m[1]) : -1;
}

export type LabelVia = 'api' | 'import' | 'ui';

// Checking the current label and appending must not interleave: two identical POSTs at once (a double key
// press) would both see no current label and both append. One chain per store serializes this process's
// label writes; serve is one process, and `review import` refuses a folder serve holds.
const writeChains = new WeakMap<Store, Promise<unknown>>();

function serialized<T>(store: Store, work: () => Promise<T>): Promise<T> {
  const next = (writeChains.get(store) ?? Promise.resolve()).then(work);
  writeChains.set(
    store,
    next.catch(() => undefined),
  );
  return next;
}

let sequence = 0;

/** Sorts by time, then by order of writing within this process (two labels in one millisecond). */
function labelId(ms: number): string {
  sequence = (sequence + 1) % 1_000_000;
  return `${String(ms).padStart(14, '0')}-${String(sequence).padStart(6, '0')}-${randomBytes(4).toString('hex')}`;
}

/**
 * Validates and appends labels (history is kept; the latest per pair and annotator is current). A row that
 * repeats the current label is a no-op. Throws LabelProblems listing every problem; then nothing is stored.
 */
export function storeLabels(
  store: Store,
  rows: readonly unknown[],
  options: { via: LabelVia; defaultAnnotator?: string; now?: Date },
): Promise<{ stored: number; unchanged: number }> {
  return serialized(store, () => checkAndAppend(store, rows, options));
}

async function checkAndAppend(
  store: Store,
  rows: readonly unknown[],
  options: { via: LabelVia; defaultAnnotator?: string; now?: Date },
): Promise<{ stored: number; unchanged: number }> {
  const { parsed, problems } = parseLabelRows(rows, options.defaultAnnotator);
  // Too many rows: refused before any query. Otherwise the well-formed rows are checked against the store
  // too, so one answer lists every problem.
  if (parsed.length === 0 || rows.length > MAX_LABELS) throw new LabelProblems(problems);
  const byPair = parsed.flatMap((r) => (r.pair_id !== undefined ? [r.pair_id] : []));
  const items = [...new Set(parsed.flatMap((r) => (r.item_id !== undefined ? [r.item_id] : [])))];
  const annotators = [
    ...new Set(parsed.flatMap((r) => (r.annotator_id !== undefined ? [r.annotator_id] : []))),
  ];
  const assignments = (
    await store.query<{ pair_id: string; annotator_id: string; item_id: string; a_is_chosen: number }>(
      reviewSql('assignments_of'),
      { pairs: [...new Set(byPair)], annotators, items },
    )
  ).map((a): Assignment => ({ ...a, a_is_chosen: Number(a.a_is_chosen) === 1 }));
  // The pairs an item names count too: a repeated label by item id is a no-op as well.
  const itemSet = new Set(items);
  const pairs = [
    ...new Set([...byPair, ...assignments.filter((a) => itemSet.has(a.item_id ?? '')).map((a) => a.pair_id)]),
  ];
  const current = new Map(
    (
      await store.query<{ pair_id: string; annotator_id: string; preferred: string }>(
        reviewSql('current_labels_of'),
        { pairs },
      )
    ).map((r) => [key(r.pair_id, r.annotator_id), r.preferred]),
  );
  const resolved = resolveLabels(parsed, { assignments, current });
  if (problems.length || resolved.problems.length)
    throw new LabelProblems([...problems, ...resolved.problems].sort((a, b) => rowOf(a) - rowOf(b)));
  await appendLabels(store, resolved.labels, options.via, options.now);
  return { stored: resolved.labels.length, unchanged: resolved.unchanged };
}

async function appendLabels(
  store: Store,
  labels: readonly LabelInput[],
  via: LabelVia | 'undo',
  now: Date = new Date(),
): Promise<void> {
  if (labels.length === 0) return;
  const ms = now.getTime();
  await store.insert(
    TABLES.reviewLabels,
    labels.map((l) => ({
      label_id: labelId(ms),
      pair_id: l.pair_id,
      annotator_id: l.annotator_id,
      preferred: l.preferred,
      labelled_at: String(ms),
      via,
    })),
  );
}

/** Retracts the annotator's most recent current label; answers its item id (and pair), undefined when none. */
export function undoLast(
  store: Store,
  annotator: string,
  now?: Date,
): Promise<{ item_id: string; pair_id: string } | undefined> {
  return serialized(store, () => retractLatest(store, annotator, now));
}

async function retractLatest(
  store: Store,
  annotator: string,
  now?: Date,
): Promise<{ item_id: string; pair_id: string } | undefined> {
  const [last] = await store.query<{ pair_id: string; item_id: string }>(reviewSql('latest_label'), {
    annotator,
  });
  if (!last) return undefined;
  await appendLabels(
    store,
    [{ pair_id: last.pair_id, annotator_id: annotator, preferred: 'retracted' as LabelInput['preferred'] }],
    'undo',
    now,
  );
  return { item_id: last.item_id, pair_id: last.pair_id };
}

export interface QueueItem {
  /** The item's random id (review_assignments.item_id): nothing in it derives from the pair's texts. */
  item_id: string;
  prompt: { role: string; content: string }[];
  a: string;
  b: string;
}

export interface Queue {
  annotator: string;
  done: number;
  total: number;
  queue: { done: number; total: number };
  items: QueueItem[];
}

/**
 * The annotator's unlabelled items in their own A/B order; nothing says which answer is chosen or who found
 * the pair. Items go by item_id, never pair_id: the pair id hashes (prompt, chosen, rejected) in that order,
 * so hashing both orders of what the page shows would tell the chosen answer.
 */
export async function annotatorQueue(store: Store, annotator: string, limit: number): Promise<Queue> {
  const rows = await store.query<{
    item_id: string;
    prompt: string;
    chosen: string;
    rejected: string;
    a_is_chosen: number;
    done: number;
    total: string | number;
    done_count: string | number;
  }>(reviewSql('queue'), { annotator, limit });
  const total = Number(rows[0]?.total ?? 0);
  const done = Number(rows[0]?.done_count ?? 0);
  const items = rows
    .filter((r) => Number(r.done) === 0)
    .map((r) => {
      const aChosen = Number(r.a_is_chosen) === 1;
      return {
        item_id: r.item_id,
        prompt: promptMessages(r.prompt),
        a: aChosen ? r.chosen : r.rejected,
        b: aChosen ? r.rejected : r.chosen,
      };
    });
  return { annotator, done, total, queue: { done, total }, items };
}

/** The stored prompt (JSON messages, or plain text) as [{role, content}]. */
export function promptMessages(text: string): { role: string; content: string }[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (Array.isArray(parsed))
      return parsed.map((m) => {
        const o = (m ?? {}) as Record<string, unknown>;
        return {
          role: String(o.role ?? 'user'),
          content: typeof o.content === 'string' ? o.content : JSON.stringify(o.content ?? ''),
        };
      });
  } catch {
    // Not JSON: a plain-text prompt.
  }
  return text === '' ? [] : [{ role: 'user', content: text }];
}

export interface Dispute {
  pair_id: string;
  source: string;
  annotator_agreement: number;
  counts: { chosen: number; rejected: number; tie: number };
  majority: string;
  prompt: { role: string; content: string }[];
  chosen: string;
  rejected: string;
  labels: { annotator_id: string; preferred: string }[];
}

/** Review-band pairs awaiting a reviewer, lowest agreement first. */
export async function disputes(store: Store, limit: number): Promise<Dispute[]> {
  const rows = await store.query<{
    pair_id: string;
    source: string;
    annotator_agreement: number;
    n_chosen: number;
    n_rejected: number;
    n_tie: number;
    majority: string;
    prompt: string;
    chosen: string;
    rejected: string;
    labels: [string, string][];
  }>(reviewSql('disputes'), { limit });
  return rows.map((r) => ({
    pair_id: r.pair_id,
    source: r.source,
    annotator_agreement: r.annotator_agreement,
    counts: { chosen: Number(r.n_chosen), rejected: Number(r.n_rejected), tie: Number(r.n_tie) },
    majority: r.majority,
    prompt: promptMessages(r.prompt),
    chosen: r.chosen,
    rejected: r.rejected,
    labels: r.labels
      .map(([annotator_id, preferred]) => ({ annotator_id, preferred }))
      .sort((x, y) => (x.annotator_id < y.annotator_id ? -1 : 1)),
  }));
}

export const RESOLUTIONS = ['chosen', 'rejected', 'void'] as const;

/** Stores reviewers' decisions (object or array of {pair_id, resolution, reviewer}); all-or-nothing. */
export async function storeResolutions(
  store: Store,
  rows: readonly unknown[],
  now: Date = new Date(),
): Promise<number> {
  const problems: string[] = [];
  if (rows.length === 0) problems.push('no resolutions: send an object or a non-empty array');
  const asObject = (row: unknown): Record<string, unknown> =>
    typeof row === 'object' && row !== null && !Array.isArray(row) ? (row as Record<string, unknown>) : {};
  const ids = rows
    .map((row) => asObject(row).pair_id)
    .filter((id): id is string => typeof id === 'string' && id !== '');
  const labelled = new Set(
    ids.length
      ? (await store.query<{ pair_id: string }>(reviewSql('labelled_pairs'), { pairs: ids })).map(
          (r) => r.pair_id,
        )
      : [],
  );
  rows.forEach((row, i) => {
    const r = asObject(row);
    if (typeof r.pair_id !== 'string' || r.pair_id === '')
      problems.push(`row ${i}: pair_id must be a non-empty string`);
    else if (!labelled.has(r.pair_id))
      problems.push(`row ${i}: pair ${JSON.stringify(r.pair_id)} has no review labels to resolve`);
    if (!(RESOLUTIONS as readonly unknown[]).includes(r.resolution))
      problems.push(
        `row ${i}: resolution must be one of ${RESOLUTIONS.join(', ')}, got ${JSON.stringify(r.resolution)}`,
      );
    if (typeof r.reviewer !== 'string' || r.reviewer === '')
      problems.push(`row ${i}: reviewer must be a non-empty string`);
  });
  if (problems.length) throw new LabelProblems(problems);
  const at = String(now.getTime());
  await store.insert(
    TABLES.reviewResolutions,
    rows.map((row) => {
      const r = asObject(row);
      return { pair_id: r.pair_id, resolution: r.resolution, reviewer: r.reviewer, resolved_at: at };
    }),
  );
  return rows.length;
}
