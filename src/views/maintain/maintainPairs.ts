// A pair-maintenance pass (issue 28, src/views/README.md "Pairs at scale"): brings pair_findings_state and
// pair_groups_state up to the data for the units rows inserted since the last pass touched (or every unit, on
// the first pass, when a global input changed, or when asked). Each unit is replaced as a whole: Deleted
// markers for what it had, then what it has now. The views users query do not read this state yet.
import { readFileSync } from 'node:fs';
import { packagePath } from '../../paths.js';
import { PAIR_SOURCES, TABLES } from '../../names.js';
import type { Store } from '../../sink/Store.js';
import { maintainSql } from './sqlFiles.js';
import { storeNow, touchedUnits } from './touchedUnits.js';

/** Rows inserted this long before the last watermark are looked at again: parallel inserts commit out of order. */
const REREAD_MS = 5_000;
/** Units per statement: a bound on each statement's parameter list and work. */
const CHUNK = 20_000;

const BY_CLASS = new Set(['rubric', 'session']);

export interface MaintainOptions {
  /** Recompute every unit, whatever the watermark says. */
  full?: boolean;
  /** How far before the last watermark to look again (default 5 s: parallel inserts commit out of order). */
  rereadMs?: number;
}

export interface MaintainResult {
  full: boolean;
  promptHashes: number;
  promptClasses: number;
  /** Prompt hashes whose merged pairs were rewritten. */
  merged: number;
  seconds: number;
}

/** One pass. Not safe to run twice at once on one store (serve's schedule and a CLI pass must not overlap). */
export async function maintainPairs(store: Store, options: MaintainOptions = {}): Promise<MaintainResult> {
  const t0 = performance.now();
  const watermark = await storeNow(store);
  const [last] = await store.query<{ w: string | null }>(maintainSql('state_last_watermark', store.database));
  const lastWatermark = last?.w ?? null;
  let full = options.full === true || lastWatermark === null;
  let hashes: string[] = [];
  let classes: string[] = [];
  if (!full) {
    const since = new Date(
      new Date(`${lastWatermark!.replace(' ', 'T')}Z`).getTime() - (options.rereadMs ?? REREAD_MS),
    );
    const touched = await touchedUnits(store, since);
    if (touched.global.length > 0) full = true;
    else ({ promptHashes: hashes, promptClasses: classes } = touched);
  }
  if (full) ({ hashes, classes } = await everyUnit(store));

  const version = await nextVersion(store);
  for (const [sources, units] of [
    [PAIR_SOURCES.filter((s) => !BY_CLASS.has(s)), hashes],
    [PAIR_SOURCES.filter((s) => BY_CLASS.has(s)), classes],
  ] as const) {
    for (const chunk of chunks(units)) {
      await store.command(maintainSql('state_findings_delete', store.database), {
        version: String(version),
        sources: [...sources],
        units: chunk,
      });
      for (const source of sources) {
        const sql = maintainSql('state_findings_write', store.database)
          .replace('${unit}', BY_CLASS.has(source) ? 'prompt_class' : 'prompt_hash')
          .replace('${findings}', maintainSql(`${source}_findings`, store.database));
        await store.command(sql, {
          version: String(version + 1),
          [BY_CLASS.has(source) ? 'classes' : 'hashes']: chunk,
        });
      }
    }
  }

  // The merge: every prompt hash a rewritten finding had or has.
  const mergedSet = (
    await store.query<{ h: string }>(maintainSql('state_merge_hashes', store.database), {
      version: String(version),
      full: full ? 1 : 0,
    })
  ).map((r) => r.h);
  for (const chunk of chunks(mergedSet)) {
    await store.command(maintainSql('state_groups_delete', store.database), {
      version: String(version + 2),
      hashes: chunk,
    });
    await store.command(groupsWriteSql(store.database), { version: String(version + 3), hashes: chunk });
  }

  const seconds = (performance.now() - t0) / 1000;
  await store.insert(TABLES.pairMaintenance, [
    {
      Watermark: watermark.toISOString().replace('T', ' ').replace('Z', ''),
      PromptHashes: hashes.length,
      PromptClasses: classes.length,
      Full: full ? 1 : 0,
      Seconds: seconds,
    },
  ]);
  return {
    full,
    promptHashes: hashes.length,
    promptClasses: classes.length,
    merged: mergedSet.length,
    seconds,
  };
}

let groupsRule: string | undefined;

/** state_groups_write.sql with pair_groups' own rule, reading the state's findings instead of pairs_all. */
function groupsWriteSql(database: string): string {
  if (groupsRule === undefined) {
    const view = readFileSync(packagePath('src', 'views', 'sql', 'pair_groups.sql'), 'utf8');
    const head = 'CREATE OR REPLACE VIEW ${db}.pair_groups ${on_cluster} AS';
    const from = 'FROM ${db}.pairs_all';
    if (!view.includes(head) || !view.includes(from))
      throw new Error(
        `src/views/sql/pair_groups.sql no longer has "${head}" and "${from}": update maintainPairs`,
      );
    groupsRule = view
      .replace(head, '')
      .replace(
        from,
        'FROM (SELECT * EXCEPT (unit, Version, Deleted) FROM ${db}.pair_findings_state FINAL WHERE prompt_hash IN {hashes:Array(String)})',
      )
      .trim()
      .replace(/;$/, '');
  }
  return maintainSql('state_groups_write', database).replace(
    '${rule}',
    groupsRule.replaceAll('${db}', database),
  );
}

async function everyUnit(store: Store): Promise<{ hashes: string[]; classes: string[] }> {
  const rows = await store.query<{ kind: string; unit: string }>(
    maintainSql('state_every_unit', store.database),
  );
  const hashes = new Set<string>();
  const classes = new Set<string>();
  for (const r of rows) (r.kind === 'h' ? hashes : classes).add(r.unit);
  return { hashes: [...hashes], classes: [...classes] };
}

async function nextVersion(store: Store): Promise<number> {
  const [row] = await store.query<{ v: string }>(maintainSql('state_next_version', store.database));
  return Number(row!.v);
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += CHUNK) yield items.slice(i, i + CHUNK);
}
