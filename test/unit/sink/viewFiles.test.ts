// Plain-view files: one view per file (or per template value), ordered after the views they read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PAIR_SOURCES, VIEWS } from '../../../src/names.js';
import { MIGRATION_FOLDERS, VIEW_PARAMETERS, loadMigrations } from '../../../src/sink/migrate.js';
import { renderMigration, splitStatements } from '../../../src/sink/migrationText.js';
import { StoreError } from '../../../src/sink/Store.js';
import { loadViews, withDependents } from '../../../src/sink/viewFiles.js';

function folderWith(files: Record<string, string>): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-viewfiles-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

const view = (name: string, from: string): string =>
  `-- ${name}\nCREATE OR REPLACE VIEW \${db}.${name} \${on_cluster} AS\nSELECT * FROM \${db}.${from};\n`;

test('the shipped views: one per file, every one after the views it reads, none numbered', () => {
  const views = loadViews(MIGRATION_FOLDERS, VIEW_PARAMETERS);
  const seen = new Set<string>();
  for (const v of views) {
    for (const d of v.dependsOn) assert.ok(seen.has(d), `${v.name} comes after ${d}`);
    seen.add(v.name);
  }
  for (const name of Object.values(VIEWS)) assert.ok(seen.has(name), `${name} is a view file`);
  for (const source of PAIR_SOURCES) {
    const v = views.find((x) => x.name === `pairs_${source}`)!;
    assert.equal(v.file, 'pairs_{source}.sql');
    assert.match(v.sql, new RegExp(`FROM \\$\\{db\\}\\.pair_keys_${source} AS k`));
    assert.doesNotMatch(v.sql, /\$\{source\}/);
  }
  // Versioned migrations hold tables and materialized views only; every plain view is a view file.
  for (const m of loadMigrations()) {
    for (const statement of splitStatements(m.sql)) {
      assert.doesNotMatch(statement, /^CREATE (OR REPLACE )?VIEW/, `${m.name} holds no plain view`);
    }
  }
});

test('every shipped view and numbered migration renders ON CLUSTER for a cluster', () => {
  for (const m of loadMigrations()) {
    for (const statement of splitStatements(renderMigration(m.sql, 'prefloop', 'main'))) {
      if (!/^(CREATE|ALTER)\b/.test(statement)) continue; // a backfill INSERT takes no ON CLUSTER
      assert.match(statement, /ON CLUSTER 'main'/, `${m.name} runs on the cluster`);
      assert.doesNotMatch(
        statement,
        /ENGINE = (?!Replicated)\w*MergeTree/,
        `${m.name} uses Replicated engines`,
      );
    }
  }
  for (const v of loadViews(MIGRATION_FOLDERS, VIEW_PARAMETERS)) {
    const [statement] = splitStatements(renderMigration(v.sql, 'prefloop', 'main'));
    assert.match(statement!, new RegExp(`^CREATE OR REPLACE VIEW prefloop\\.${v.name} ON CLUSTER 'main' AS`));
  }
});

test('views are ordered by what they read, ties by name; dependents of a change are found', () => {
  const f = folderWith({
    'c.sql': view('c', 'b'),
    'b.sql': view('b', 'a'),
    'a.sql': view('a', 'otel_traces'),
    'z.sql': view('z', 'otel_traces'),
    '0001_table.sql': 'CREATE TABLE IF NOT EXISTS ${db}.t ${on_cluster} (x UInt8) ENGINE = Memory;\n',
    'README.md': 'not sql',
  });
  try {
    const views = loadViews([f.dir]);
    assert.deepEqual(
      views.map((v) => [v.name, v.dependsOn]),
      [
        ['a', []],
        ['z', []],
        ['b', ['a']],
        ['c', ['b']],
      ],
    );
    assert.deepEqual([...withDependents(views, new Set(['b']))].sort(), ['b', 'c']);
    assert.deepEqual([...withDependents(views, new Set(['z']))], ['z']);
  } finally {
    f.done();
  }
});

test('a {param} file name gives one view per value', () => {
  const f = folderWith({
    'per_{kind}.sql': "CREATE OR REPLACE VIEW ${db}.per_${kind} ${on_cluster} AS SELECT '${kind}' AS k;\n",
  });
  try {
    const views = loadViews([f.dir], { kind: ['x', 'y'] });
    assert.deepEqual(
      views.map((v) => [v.name, v.sql.trim()]),
      [
        ['per_x', "CREATE OR REPLACE VIEW ${db}.per_x ${on_cluster} AS SELECT 'x' AS k;"],
        ['per_y', "CREATE OR REPLACE VIEW ${db}.per_y ${on_cluster} AS SELECT 'y' AS k;"],
      ],
    );
    assert.throws(() => loadViews([f.dir]), /no values for \{kind\}/);
  } finally {
    f.done();
  }
});

test('a view file that is not one CREATE OR REPLACE VIEW of its own name is refused; so is a cycle', () => {
  const cases: Array<Record<string, string>> = [
    { 'a.sql': 'CREATE TABLE IF NOT EXISTS ${db}.a ${on_cluster} (x UInt8) ENGINE = Memory;\n' },
    { 'a.sql': view('b', 'otel_traces') },
    { 'a.sql': 'CREATE VIEW ${db}.a ${on_cluster} AS SELECT 1;\n' },
    { 'a.sql': view('a', 'otel_traces') + view('a', 'otel_traces') },
    { 'a.sql': 'CREATE OR REPLACE VIEW ${db}.a AS SELECT 1;\n' },
  ];
  for (const files of cases) {
    const f = folderWith(files);
    try {
      assert.throws(
        () => loadViews([f.dir]),
        (e: unknown) => e instanceof StoreError && e.code === 'MIGRATION',
        JSON.stringify(files),
      );
    } finally {
      f.done();
    }
  }
  const f = folderWith({ 'a.sql': view('a', 'b'), 'b.sql': view('b', 'a') });
  try {
    assert.throws(() => loadViews([f.dir]), /cycle: a, b/);
  } finally {
    f.done();
  }
});
