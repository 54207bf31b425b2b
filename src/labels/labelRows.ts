// Review labels as a request or a JSONL file gives them → the rows to store, or every problem with its row
// index. Pure: the caller passes what the store knows (assignments, current labels).

export const PREFERENCES = ['chosen', 'rejected', 'tie', 'skip'] as const;
export type Preference = (typeof PREFERENCES)[number];
/** What the review page sends: the answer shown left (a) or right (b), never which one is chosen. */
export const CHOICES = ['a', 'b', 'tie', 'skip'] as const;

/** Most labels one request or file may carry. */
export const MAX_LABELS = 10_000;

export interface Assignment {
  pair_id: string;
  annotator_id: string;
  /** The unguessable id the annotator's page knows the item by (never the pair id: a hash of the texts). */
  item_id?: string;
  /** Answer A (left, key 1) is the pair's chosen answer for this annotator. */
  a_is_chosen: boolean;
}

export interface LabelInput {
  pair_id: string;
  annotator_id: string;
  preferred: Preference;
}

export interface KnownReview {
  /** Assignments of the pairs and annotators the rows name. */
  assignments: readonly Assignment[];
  /** Current label per `pair_id\0annotator_id`. */
  current: ReadonlyMap<string, string>;
}

/**
 * The shape checks only: every row an object with pair_id and annotator_id (trusted tools), or item_id (the
 * annotator's page; annotator_id optional, checked when given), and one of preferred / choice.
 */
export interface ParsedRow {
  index: number;
  pair_id?: string;
  item_id?: string;
  annotator_id?: string;
  preferred?: string;
  choice?: string;
}

export function key(pairId: string, annotatorId: string): string {
  return `${pairId}\0${annotatorId}`;
}

/**
 * Reads rows (objects) into ParsedRow, listing shape problems. `defaultAnnotator` fills a missing
 * annotator_id (an annotator's own token names them).
 */
export function parseLabelRows(
  rows: readonly unknown[],
  defaultAnnotator?: string,
): { parsed: ParsedRow[]; problems: string[] } {
  const problems: string[] = [];
  const parsed: ParsedRow[] = [];
  if (rows.length === 0) problems.push('no labels: send an object or a non-empty array');
  if (rows.length > MAX_LABELS) problems.push(`${rows.length} labels in one request; at most ${MAX_LABELS}`);
  rows.forEach((row, index) => {
    const at = `row ${index}`;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      problems.push(`${at}: expected an object {pair_id, annotator_id, preferred} or {item_id, choice}`);
      return;
    }
    const r = row as Record<string, unknown>;
    const known = new Set(['pair_id', 'item_id', 'annotator_id', 'preferred', 'choice']);
    for (const k of Object.keys(r))
      if (!known.has(k)) problems.push(`${at}: unknown field ${JSON.stringify(k)}`);
    const annotator = r.annotator_id ?? defaultAnnotator;
    const byItem = r.item_id !== undefined;
    let ok = true;
    if (byItem && r.pair_id !== undefined) {
      problems.push(`${at}: give pair_id or item_id, not both`);
      ok = false;
    } else if (byItem && (typeof r.item_id !== 'string' || r.item_id === '')) {
      problems.push(`${at}: item_id must be a non-empty string`);
      ok = false;
    } else if (!byItem && (typeof r.pair_id !== 'string' || r.pair_id === '')) {
      problems.push(`${at}: pair_id (or item_id) must be a non-empty string`);
      ok = false;
    }
    // An item names its annotator; a pair needs one.
    if (
      byItem
        ? annotator !== undefined && (typeof annotator !== 'string' || annotator === '')
        : typeof annotator !== 'string' || annotator === ''
    ) {
      problems.push(`${at}: annotator_id must be a non-empty string`);
      ok = false;
    }
    if ((r.preferred === undefined) === (r.choice === undefined)) {
      problems.push(
        `${at}: give exactly one of preferred (${PREFERENCES.join('|')}) or choice (${CHOICES.join('|')})`,
      );
      ok = false;
    } else if (r.preferred !== undefined && !(PREFERENCES as readonly unknown[]).includes(r.preferred)) {
      problems.push(
        `${at}: preferred must be one of ${PREFERENCES.join(', ')}, got ${JSON.stringify(r.preferred)}`,
      );
      ok = false;
    } else if (r.choice !== undefined && !(CHOICES as readonly unknown[]).includes(r.choice)) {
      problems.push(`${at}: choice must be one of ${CHOICES.join(', ')}, got ${JSON.stringify(r.choice)}`);
      ok = false;
    }
    if (ok)
      parsed.push({
        index,
        ...(byItem ? { item_id: r.item_id as string } : { pair_id: r.pair_id as string }),
        ...(annotator !== undefined ? { annotator_id: annotator as string } : {}),
        ...(r.preferred !== undefined ? { preferred: r.preferred as string } : {}),
        ...(r.choice !== undefined ? { choice: r.choice as string } : {}),
      });
  });
  return { parsed, problems };
}

/**
 * Checks parsed rows against the store: the pair was sampled, the annotator has assignments, this pair is
 * theirs (or: the item exists and belongs to the annotator the row names, if it names one); maps a choice through the annotator's A/B order. Returns the labels to store — a row that repeats
 * the annotator's current label (a double key press) is dropped — or the problems. All-or-nothing: any
 * problem means nothing is stored.
 */
export function resolveLabels(
  parsed: readonly ParsedRow[],
  known: KnownReview,
): { labels: LabelInput[]; unchanged: number; problems: string[] } {
  const problems: string[] = [];
  const byKey = new Map(known.assignments.map((a) => [key(a.pair_id, a.annotator_id), a]));
  const byItem = new Map(known.assignments.filter((a) => a.item_id).map((a) => [a.item_id as string, a]));
  const pairs = new Set(known.assignments.map((a) => a.pair_id));
  const annotators = new Set(known.assignments.map((a) => a.annotator_id));
  const current = new Map(known.current);
  const labels: LabelInput[] = [];
  let unchanged = 0;
  for (const row of parsed) {
    const at = `row ${row.index}`;
    const rowProblems: string[] = [];
    let assignment: Assignment | undefined;
    if (row.item_id !== undefined) {
      assignment = byItem.get(row.item_id);
      // Another annotator's item reads as unknown: the answer says nothing about whose it is.
      if (!assignment || (row.annotator_id !== undefined && assignment.annotator_id !== row.annotator_id))
        rowProblems.push(
          `${at}: unknown item ${JSON.stringify(row.item_id)}${row.annotator_id !== undefined ? ` (not one of ${row.annotator_id}'s review items)` : ''}`,
        );
    } else {
      const pairId = row.pair_id as string;
      const annotatorId = row.annotator_id as string;
      if (!pairs.has(pairId))
        rowProblems.push(`${at}: unknown pair ${JSON.stringify(pairId)} (never sampled for review)`);
      if (!annotators.has(annotatorId))
        rowProblems.push(`${at}: unknown annotator ${JSON.stringify(annotatorId)} (no review assignments)`);
      assignment = byKey.get(key(pairId, annotatorId));
      if (rowProblems.length === 0 && !assignment)
        rowProblems.push(`${at}: pair ${pairId} is not assigned to annotator ${annotatorId}`);
    }
    problems.push(...rowProblems);
    if (rowProblems.length > 0 || !assignment) continue;
    const preferred = (row.preferred ??
      fromChoice(row.choice as string, assignment.a_is_chosen)) as Preference;
    const { pair_id, annotator_id } = assignment;
    const k = key(pair_id, annotator_id);
    if (current.get(k) === preferred) {
      unchanged++;
      continue;
    }
    current.set(k, preferred);
    labels.push({ pair_id, annotator_id, preferred });
  }
  return problems.length ? { labels: [], unchanged: 0, problems } : { labels, unchanged, problems };
}

/** A choice of the left (a) or right (b) answer, in the pair's terms. */
export function fromChoice(choice: string, aIsChosen: boolean): Preference {
  if (choice === 'a') return aIsChosen ? 'chosen' : 'rejected';
  if (choice === 'b') return aIsChosen ? 'rejected' : 'chosen';
  return choice as Preference;
}
