// The overview's copy of the pair views. Those views compute every pair from the spans on each read (seconds
// on a store of a million spans, more with contradictions), so the pages read a snapshot (ui_pairs,
// ui_contradictions; migration 0290) instead, with aggregates and LIMITs over it. A page load checks a cheap
// fingerprint of the store (its input tables' rows and highest block numbers, from the catalogue); when it
// changed, the snapshot is refreshed — and waited for when refreshing is quick (a small store: the page is
// always current), or started in the background when it is not (a big store: the page answers at once from
// the previous copy and says when that was taken). One refresh at a time in a process; on a big store at
// most one per minInterval.
import { PAIR_TABLES, TABLES } from '../names.js';
import { diag } from '../observe/diag.js';
import type { Store } from '../sink/Store.js';
import { uiQuery, uiSql } from './uiSql.js';

/** The tables the pair views read (src/views/sql): a change in any may change the pairs. */
const PAIR_INPUTS = [
  TABLES.traces,
  PAIR_TABLES.llmSpanIndex,
  TABLES.feedback,
  TABLES.evaluations,
  TABLES.judgeVerdicts,
  TABLES.judgeCalibrations,
  TABLES.clusters,
  TABLES.clusterMembers,
  TABLES.clusterFixes,
  PAIR_TABLES.rubricPairConfig,
  PAIR_TABLES.pairSettings,
  PAIR_TABLES.rubricAgreement,
  TABLES.reviewAssignments,
  TABLES.reviewLabels,
  TABLES.reviewResolutions,
];

export interface Snapshot {
  /** When the copy was taken, in UTC (`YYYY-MM-DD hh:mm:ss`). */
  readonly at: string;
  readonly atMs: number;
  /** How long taking it took. */
  readonly seconds: number;
  readonly pairs: number;
  readonly contradictions: number;
  /** True when the store has changed since the copy was taken. */
  readonly changed: boolean;
  /** True while a newer copy is being taken. */
  readonly refreshing: boolean;
}

interface Row {
  at: string;
  atMs: string | number;
  fingerprint: string;
  seconds: number;
  pairs: string | number;
  contradictions: string | number;
}

export interface SnapshotOptions {
  /** A refresh that took less than this is waited for (default 2 s). */
  readonly waitBelowSeconds?: number;
  /** On a big store, the least time between two refreshes (default 60 s, or 3× the last refresh's time). */
  readonly minIntervalMs?: number;
}

export class PairSnapshots {
  private running?: Promise<Row>;
  private lastFinished = 0;

  constructor(
    private readonly store: Store,
    private readonly options: SnapshotOptions = {},
  ) {}

  /** The snapshot a page reads (see the file's comment for when it is refreshed first). */
  async current(): Promise<Snapshot> {
    const waitBelow = this.options.waitBelowSeconds ?? 2;
    // Twice at most: a refresh already running may have copied the store as it was before the last change.
    for (let round = 0; ; round++) {
      const [latest, fingerprint] = await Promise.all([this.latest(), this.fingerprint()]);
      if (latest && latest.fingerprint === fingerprint) return this.view(latest, false);
      if (latest && latest.seconds >= waitBelow) {
        const gap = Math.max(this.options.minIntervalMs ?? 60_000, latest.seconds * 3000);
        if (Date.now() - this.lastFinished >= gap)
          this.refresh().catch((err: unknown) =>
            diag('warn', 'ui', 'refreshing the pairs snapshot failed; pages show the previous one', err),
          );
        return this.view(latest, true);
      }
      const fresh = await this.refresh();
      if (round >= 1 || fresh.fingerprint === (await this.fingerprint())) return this.view(fresh, false);
    }
  }

  /**
   * current(), but a page waits at most `ms` for it (the first copy of a big store takes a while): past that,
   * undefined, and the copy goes on in the background for a later visit.
   */
  async within(ms: number): Promise<Snapshot | undefined> {
    const pending = this.current();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)));
    try {
      return await Promise.race([pending, late]);
    } finally {
      clearTimeout(timer);
      pending.catch((err: unknown) => diag('warn', 'ui', 'taking the pairs snapshot failed', err));
    }
  }

  /** Takes a new copy (or joins the one being taken). */
  refresh(): Promise<Row> {
    this.running ??= this.take().finally(() => {
      this.running = undefined;
      this.lastFinished = Date.now();
    });
    return this.running;
  }

  /** Waits for a refresh in progress (at shutdown, before the store closes). */
  async settle(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async take(): Promise<Row> {
    const fingerprint = await this.fingerprint();
    const latest = await this.latest();
    // Strictly after the previous copy, so the two never share a SnapshotAt.
    const at = Math.max(Date.now(), Number(latest?.atMs ?? 0) + 1);
    const started = performance.now();
    await this.store.command(uiSql('snapshot_pairs'), { at });
    await this.store.command(uiSql('snapshot_contradictions'), { at });
    const [counts] = await uiQuery<{ pairs: string; contradictions: string }>(this.store, 'snapshot_counts', {
      at,
    });
    const seconds = (performance.now() - started) / 1000;
    const pairs = Number(counts?.pairs ?? 0);
    const contradictions = Number(counts?.contradictions ?? 0);
    await this.store.command(uiSql('snapshot_record'), { at, fingerprint, seconds, pairs, contradictions });
    await this.store.command(uiSql('snapshot_prune_pairs'), { at });
    await this.store.command(uiSql('snapshot_prune_contradictions'), { at });
    const [row] = await uiQuery<Row>(this.store, 'snapshot_latest');
    return row!;
  }

  private view(row: Row, changed: boolean): Snapshot {
    return toSnapshot(row, changed, this.running !== undefined);
  }

  private async latest(): Promise<Row | undefined> {
    return (await uiQuery<Row>(this.store, 'snapshot_latest'))[0];
  }

  private async fingerprint(): Promise<string> {
    const rows = await uiQuery<{ fingerprint: string }>(this.store, 'snapshot_fingerprint', {
      tables: PAIR_INPUTS,
    });
    return rows[0]?.fingerprint ?? '';
  }
}

function toSnapshot(row: Row, changed: boolean, refreshing: boolean): Snapshot {
  return {
    at: row.at,
    atMs: Number(row.atMs),
    seconds: Number(row.seconds),
    pairs: Number(row.pairs),
    contradictions: Number(row.contradictions),
    changed,
    refreshing,
  };
}
