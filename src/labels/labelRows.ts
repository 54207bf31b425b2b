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

/** The shape checks only: every row an object with pair_id, annotator_id and one of preferred / choice. */
export interface ParsedRow {
  index: number;
  pair_id: string;
  annotator_id: string;
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
      problems.push(`${at}: expected an object {pair_id, annotator_id, preferred}`);
      return;
    }
    const r = row as Record<string, unknown>;
    const known = new Set(['pair_id', 'annotator_id', 'preferred', 'choice']);
    for (const k of Object.keys(r))
      if (!known.has(k)) problems.push(`${at}: unknown field ${JSON.stringify(k)}`);
    const annotator = r.annotator_id ?? defaultAnnotator;
    let ok = true;
    if (typeof r.pair_id !== 'string' || r.pair_id === '') {
      problems.push(`${at}: pair_id must be a non-empty string`);
      ok = false;
    }
    if (typeof annotator !== 'string' || annotator === '') {
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
        pair_id: r.pair_id as string,
        annotator_id: annotator as string,
        ...(r.preferred !== undefined ? { preferred: r.preferred as string } : {}),
        ...(r.choice !== undefined ? { choice: r.choice as string } : {}),
      });
  });
  return { parsed, problems };
}

/**
 * Checks parsed rows against the store: the pair was sampled, the annotator has assignments, this pair is
 * theirs; maps a choice through the annotator's A/B order. Returns the labels to store — a row that repeats
 * the annotator's current label (a double key press) is dropped — or the problems. All-or-nothing: any
 * problem means nothing is stored.
 */
export function resolveLabels(
  parsed: readonly ParsedRow[],
  known: KnownReview,
): { labels: LabelInput[]; unchanged: number; problems: string[] } {
  const problems: string[] = [];
  const byKey = new Map(known.assignments.map((a) => [key(a.pair_id, a.annotator_id), a]));
  const pairs = new Set(known.assignments.map((a) => a.pair_id));
  const annotators = new Set(known.assignments.map((a) => a.annotator_id));
  const current = new Map(known.current);
  const labels: LabelInput[] = [];
  let unchanged = 0;
  for (const row of parsed) {
    const at = `row ${row.index}`;
    const rowProblems: string[] = [];
    if (!pairs.has(row.pair_id))
      rowProblems.push(`${at}: unknown pair ${JSON.stringify(row.pair_id)} (never sampled for review)`);
    if (!annotators.has(row.annotator_id))
      rowProblems.push(
        `${at}: unknown annotator ${JSON.stringify(row.annotator_id)} (no review assignments)`,
      );
    const assignment = byKey.get(key(row.pair_id, row.annotator_id));
    if (rowProblems.length === 0 && !assignment)
      rowProblems.push(`${at}: pair ${row.pair_id} is not assigned to annotator ${row.annotator_id}`);
    problems.push(...rowProblems);
    if (rowProblems.length > 0 || !assignment) continue;
    const preferred = (row.preferred ??
      fromChoice(row.choice as string, assignment.a_is_chosen)) as Preference;
    const k = key(row.pair_id, row.annotator_id);
    if (current.get(k) === preferred) {
      unchanged++;
      continue;
    }
    current.set(k, preferred);
    labels.push({ pair_id: row.pair_id, annotator_id: row.annotator_id, preferred });
  }
  return problems.length ? { labels: [], unchanged: 0, problems } : { labels, unchanged, problems };
}

/** A choice of the left (a) or right (b) answer, in the pair's terms. */
export function fromChoice(choice: string, aIsChosen: boolean): Preference {
  if (choice === 'a') return aIsChosen ? 'chosen' : 'rejected';
  if (choice === 'b') return aIsChosen ? 'rejected' : 'chosen';
  return choice as Preference;
}
