// Plain views on the real engine: re-created when their text changes, untouched otherwise, and a store
// made by the earlier layout (plain views as numbered one-way migrations) upgrades cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES } from '../../../src/names.js';
import { packagePath } from '../../../src/paths.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { MIGRATION_FOLDERS, migrate } from '../../../src/sink/migrate.js';
import type { Store } from '../../../src/sink/Store.js';
import { annotate, ask, insertSpans, llmSpan, pairsOf } from '../../helpers/traces.js';

const OLD_VIEWS = packagePath('test', 'fixtures', 'views-layout-fb278d5');
const TABLE_FOLDERS = MIGRATION_FOLDERS.slice(0, 2);

async function withStore(prefix: string, body: (store: Store, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `prefloop-${prefix}-`));
  const store = new ChdbStore(join(dir, 'store'), 'prefloop');
  try {
    await body(store, dir);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}

test('a store migrated by the earlier layout upgrades: its view records are history, its views re-created', async () => {
  await withStore('view-upgrade', async (store) => {
    // The earlier layout: tables, then each plain view as a numbered migration, recorded once.
    const old = await migrate(store, { folders: [...TABLE_FOLDERS, OLD_VIEWS] });
    assert.ok(old.applied.includes('0158_preference_pairs.sql'));
    assert.ok(old.applied.includes('0162_pairs_rubric.sql'));
    const up = annotate(llmSpan({ prompt: ask('upgrade?'), response: 'yes', time: 1 }), { up: true });
    const down = annotate(llmSpan({ prompt: ask('upgrade?'), response: 'no', time: 2 }), { up: false });
    await insertSpans(store, [up, down]);

    const upgraded = await migrate(store);
    assert.ok(upgraded.skipped.includes('0140_llm_span_index.sql'), 'tables keep their records');
    assert.ok(upgraded.applied.includes('view preference_pairs'));
    assert.ok(upgraded.applied.includes('view pairs_rubric'));
    assert.ok(!upgraded.applied.some((name) => /^\d{4}_/.test(name)), 'no numbered migration runs again');
    const recorded = await store.query<{ n: number }>(
      `SELECT count() AS n FROM prefloop.${TABLES.migrations} WHERE Version = 158`,
    );
    assert.equal(Number(recorded[0]!.n), 1, 'the old record stays, harmless');
    assert.deepEqual(
      (await pairsOf(store, up)).map((p) => [p.source, p.chosen, p.rejected]),
      [['feedback', 'yes', 'no']],
    );
    const again = await migrate(store);
    assert.deepEqual(again.applied, []);
  });
});

test('a changed view is re-created with the views that read it; unchanged ones are not touched', async () => {
  await withStore('view-change', async (store, dir) => {
    const views = join(dir, 'views');
    cpSync(packagePath('src', 'views', 'sql'), views, { recursive: true });
    const folders = [...TABLE_FOLDERS, views];
    await migrate(store, { folders });

    // A comment is not part of the rule: nothing is re-created.
    const file = join(views, 'pair_groups.sql');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, `-- an edited comment\n${text}`);
    assert.deepEqual((await migrate(store, { folders })).applied, []);

    const edited = text.replace('AS evidence\nFROM decided;', 'AS evidence,\n    1 AS edited\nFROM decided;');
    assert.notEqual(edited, text, 'the test edits the view it means to');
    writeFileSync(file, edited);
    const changed = await migrate(store, { folders });
    assert.deepEqual(changed.applied, [
      'view pair_groups',
      'view pair_contradictions',
      'view preference_pair_keys',
      'view preference_pairs',
    ]);
    const cols = await store.query<{ name: string }>(
      "SELECT name FROM system.columns WHERE database = 'prefloop' AND table = 'pair_groups' AND name = 'edited'",
    );
    assert.equal(cols.length, 1);

    // A view whose file is gone is dropped.
    rmSync(join(views, 'kto_examples.sql'));
    assert.deepEqual((await migrate(store, { folders })).applied, ['dropped view kto_examples']);
    const left = await store.query<{ name: string }>(
      "SELECT name FROM system.tables WHERE database = 'prefloop' AND name = 'kto_examples'",
    );
    assert.deepEqual(left, []);
  });
});
