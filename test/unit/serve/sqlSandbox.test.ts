// The read-only SQL sandbox of serve's query route: the probes are refused before the engine sees them,
// and every read the CLI sends (export's SQL with its bounded-memory SETTINGS included) passes with readonly = 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { exportSql } from '../../../src/export/sqlFiles.js';
import { packagePath } from '../../../src/paths.js';
import { sandboxSql, SqlSandboxError } from '../../../src/serve/sqlSandbox.js';

const refused = [
  "SELECT * FROM file('/etc/passwd','LineAsString') LIMIT 2",
  "INSERT INTO FUNCTION file('/tmp/x.txt','LineAsString') SELECT 'x'",
  "SELECT * FROM url('http://127.0.0.1:1/healthz', 'LineAsString')",
  "SELECT 1 INTO OUTFILE '/tmp/x.txt'",
  "SELECT 1 UNION ALL SELECT * FROM `file`('/etc/passwd', 'LineAsString')",
  "SELECT * FROM view(SELECT * FROM remote('127.0.0.1', system.one))",
  "SELECT * FROM s3('http://127.0.0.1:1/b/x.csv')",
  "SELECT * FROM executable('ls', 'TSV', 'x String')",
  "SELECT dictGet('d', 'a', 1)",
  "SELECT file('/etc/passwd')",
  "SELECT * FROM filesystem('/')",
  "SELECT 1 WHERE 1 IN merge('prefloop', '.*')",
  "SELECT * FROM (SELECT getSetting('readonly') SETTINGS readonly = 0)",
  "SELECT getSetting('readonly') SETTINGS readonly = 0",
  'SELECT 1 SETTINGS max_threads = 1, readonly = 0',
  'SELECT 1; DROP TABLE otel_traces',
  'DROP TABLE otel_traces',
  'CREATE TABLE t (a Int8) ENGINE = Memory',
  'ALTER TABLE otel_traces DELETE WHERE 1',
  'SET readonly = 0',
  'SYSTEM SHUTDOWN',
  "CREATE DICTIONARY d (a UInt8) PRIMARY KEY a SOURCE(HTTP(url 'http://x' format 'TSV')) LAYOUT(FLAT()) LIFETIME(0)",
  "SELECT 1 # comment hiding file('/etc/passwd')",
  'SELECT $$x$$',
  "SELECT 'unterminated",
  'SELECT 1 /* nested /* */ */',
  '',
];

test('the issue’s probes and every other write, settings change or file/URL/remote access are refused', () => {
  for (const sql of refused) assert.throws(() => sandboxSql(sql), SqlSandboxError, sql);
});

test('reads pass, ending in one SETTINGS clause with readonly = 1 last', () => {
  assert.equal(sandboxSql('SELECT 1;'), 'SELECT 1\nSETTINGS readonly = 1');
  assert.equal(
    sandboxSql("SELECT 'file(' AS x -- a comment\n"),
    "SELECT 'file(' AS x\nSETTINGS readonly = 1",
  );
  assert.equal(
    sandboxSql('SELECT count() FROM otel_traces SETTINGS max_threads = 1'),
    'SELECT count() FROM otel_traces\nSETTINGS max_threads = 1, readonly = 1',
  );
  for (const sql of [
    'WITH x AS (SELECT 1) SELECT * FROM x',
    'SHOW TABLES',
    'DESCRIBE TABLE otel_traces',
    'SELECT count() AS n FROM system.tables WHERE database = {db:String} AND name = {table:String}',
    'SELECT * FROM numbers(3)',
    "SELECT format('{} {}', 'a', 'b'), getSetting('readonly')",
  ])
    assert.match(sandboxSql(sql), /\nSETTINGS readonly = 1$/, sql);
});

test('every SQL file export sends passes, its bounded-memory settings kept', () => {
  const names = readdirSync(packagePath('src', 'export', 'sql'))
    .filter((f) => f.endsWith('.sql') && !f.startsWith('_'))
    .map((f) => f.replace(/\.sql$/, ''));
  assert.ok(names.length > 0);
  for (const name of names) {
    const out = sandboxSql(exportSql(name));
    assert.match(out, /SETTINGS max_threads = 1, join_algorithm = '[^']+', .*readonly = 1$/, join(name));
  }
});
