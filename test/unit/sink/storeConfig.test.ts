// Store URLs, HTTP error classification and the cluster rendering of migrations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyHttpError } from '../../../src/sink/HttpStore.js';
import { loadMigrations, renderMigration, splitStatements } from '../../../src/sink/migrate.js';
import { parseStoreUrl } from '../../../src/sink/openStore.js';
import { StoreError } from '../../../src/sink/Store.js';

test('store URLs: embedded folder, server with credentials and database, defaults', () => {
  assert.deepEqual(parseStoreUrl('embedded:.prefloop'), {
    kind: 'embedded',
    folder: '.prefloop',
    database: 'prefloop',
  });
  assert.deepEqual(parseStoreUrl('embedded:/data/x#analytics'), {
    kind: 'embedded',
    folder: '/data/x',
    database: 'analytics',
  });
  assert.deepEqual(parseStoreUrl('https://bob:p%40ss@ch.example:8443/traces'), {
    kind: 'http',
    url: 'https://ch.example:8443',
    database: 'traces',
    username: 'bob',
    password: 'p@ss',
  });
  assert.equal(parseStoreUrl('http://localhost:8123').database, 'prefloop');
  for (const bad of ['embedded:', 'ftp://x', 'not a url']) {
    assert.throws(
      () => parseStoreUrl(bad),
      (e: unknown) => e instanceof StoreError && e.code === 'BAD_URL',
    );
  }
  // The database name goes into DDL: only plain identifiers.
  for (const bad of ['http://h:8123/db%3B%20DROP%20TABLE%20x', 'embedded:.prefloop#a-b']) {
    assert.throws(
      () => parseStoreUrl(bad),
      (e: unknown) => e instanceof StoreError && e.code === 'BAD_NAME',
    );
  }
});

test('HTTP failures map to CH_<n>, STORE_UNREACHABLE or TIMEOUT', () => {
  assert.equal(classifyHttpError({ code: '60', message: 'x' }).code, 'CH_60');
  assert.equal(classifyHttpError({ code: 'ECONNREFUSED', message: 'connect' }).code, 'STORE_UNREACHABLE');
  assert.equal(classifyHttpError(new Error('Timeout error.')).code, 'TIMEOUT');
  assert.equal(classifyHttpError(new Error('other')).code, 'STORE_QUERY');
});

test('cluster mode renders ON CLUSTER and Replicated engines for every schema migration', () => {
  const sql =
    'CREATE TABLE ${db}.t ${on_cluster} (x UInt8) ENGINE = ${engine:ReplacingMergeTree(IngestedAt)} ORDER BY x';
  assert.equal(
    renderMigration(sql, 'prefloop', 'main'),
    "CREATE TABLE prefloop.t ON CLUSTER 'main' (x UInt8) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}', IngestedAt) ORDER BY x",
  );
  assert.equal(
    renderMigration(sql, 'prefloop'),
    'CREATE TABLE prefloop.t  (x UInt8) ENGINE = ReplacingMergeTree(IngestedAt) ORDER BY x',
  );
  for (const m of loadMigrations().filter((x) => x.version < 100)) {
    const rendered = renderMigration(m.sql, 'prefloop', 'main');
    for (const statement of splitStatements(rendered)) {
      assert.match(statement, /ON CLUSTER 'main'/, `${m.name} runs on the cluster`);
      assert.doesNotMatch(
        statement,
        /ENGINE = (?!Replicated)\w*MergeTree/,
        `${m.name} uses Replicated engines`,
      );
    }
  }
});
