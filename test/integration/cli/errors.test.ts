// Every CLI failure says what was wrong and exits non-zero: 2 for a usage mistake, 1 for a failure to run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPORT_FORMATS } from '../../../src/export/index.js';
import { SERVE_LOCK_FILE } from '../../../src/serve/serveLock.js';
import { runCli, runInProcess } from '../faults/cliHarness.js';

const root = mkdtempSync(join(tmpdir(), 'prefloop-cli-errors-'));
const store = ['--store', `embedded:${join(root, 'data')}`];
test.after(() => rmSync(root, { recursive: true, force: true, maxRetries: 5 }));

test('a bad config file: exit 1, every problem listed with its path', async () => {
  const path = join(root, 'bad.yaml');
  writeFileSync(
    path,
    [
      'receivers:',
      '  otlp:',
      '    protocols: { http: { endpoint: "not an endpoint" } }',
      '  zipkin: {}',
      'exporters:',
      '  clickhouse:',
      '    batch: { flush_interval: soon }',
      '    queue: { max_spans: -5 }',
      '    colour: blue',
      '  otlphttp/next: { endpoint: "${env:PREFLOOP_TEST_MISSING_VAR}" }',
      'service:',
      '  pipelines:',
      '    traces: { receivers: [otlp], exporters: [clickhouse, nowhere] }',
      '',
    ].join('\n'),
  );
  const r = await runInProcess(['serve', '--config', path, ...store]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`invalid config ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  for (const problem of [
    /receivers\.otlp\.protocols\.http\.endpoint: expected HOST:PORT/,
    /receivers\.zipkin: unknown receiver type "zipkin"/,
    /exporters\.clickhouse\.batch\.flush_interval: expected a duration/,
    /exporters\.clickhouse\.queue\.max_spans:/,
    /exporters\.clickhouse.*colour/,
    /PREFLOOP_TEST_MISSING_VAR is not set/,
    /service\.pipelines\.traces\.exporters\[1\]: "nowhere" is not defined/,
  ])
    assert.match(r.stderr, problem);
  assert.equal(existsSync(join(root, 'data')), false, 'nothing is opened when the config is bad');
});

test('a config file that is not YAML, or missing: exit 1 with the reason', async () => {
  const path = join(root, 'broken.yaml');
  writeFileSync(path, 'receivers:\n  otlp: {\n');
  const broken = await runInProcess(['sql', '--config', path, ...store, 'SELECT 1']);
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /invalid config .*broken\.yaml:\n\s+- YAML: /);
  const missing = await runInProcess(['sql', '--config', join(root, 'nope.yaml'), ...store, 'SELECT 1']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nope\.yaml:\n\s+- cannot read the file/);
});

test('an unknown command: exit 2 from the real process, with the command list', async () => {
  const r = await runCli(['frobnicate']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /unknown command "frobnicate"/);
  assert.match(r.stderr, /Commands:[\s\S]*serve[\s\S]*export/);
});

test('an unknown option: exit 2 naming it, with the command help', async () => {
  const r = await runInProcess(['sql', '--fromat', 'json', 'SELECT 1']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--fromat/);
  assert.match(r.stderr, /prefloop sql \[--format table\|json\]/);
});

test('sql without a query: exit 2 with an example', async () => {
  const r = await runInProcess(['sql', ...store]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /prefloop sql: give the query as an argument, e\.g\. prefloop sql "SELECT/);
  const badFormat = await runInProcess(['sql', '--format', 'csv', ...store, 'SELECT 1']);
  assert.equal(badFormat.code, 2);
  assert.match(badFormat.stderr, /--format must be table or json, not "csv"/);
});

test('export with a bad --format: exit 2, the message names every format', async () => {
  const r = await runInProcess(['export', '--format', 'xml', '--out', join(root, 'out'), ...store]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--format must be one of/);
  for (const f of EXPORT_FORMATS) assert.ok(r.stderr.includes(f), `names ${f}`);
  const none = await runInProcess(['export', ...store]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /--format is required/);
  assert.match(none.stderr, /--out DIR is required/);
});

test('export refuses pair filters a format cannot honour, naming each, instead of ignoring them', async () => {
  const out = join(root, 'kto-out');
  const kto = await runInProcess([
    'export',
    '--format',
    'kto',
    '--out',
    out,
    '--source',
    'rubric',
    '--min-margin',
    '0.2',
    ...store,
  ]);
  assert.equal(kto.code, 2);
  assert.match(kto.stderr, /--source does not apply to --format kto/);
  assert.match(kto.stderr, /--min-margin does not apply to --format kto/);
  const reward = await runInProcess([
    'export',
    '--format',
    'reward',
    '--out',
    out,
    '--agreement-band',
    'train',
    ...store,
  ]);
  assert.equal(reward.code, 2);
  assert.match(reward.stderr, /--agreement-band does not apply to --format reward/);
  assert.equal(existsSync(out), false, 'nothing created');
});

test('a store URL with a bad protocol or no folder: a clear message, whichever way it is given', async () => {
  const ftp = await runInProcess(['sql', '--store', 'ftp://db.example:21/x', 'SELECT 1']);
  assert.equal(ftp.code, 1);
  assert.match(ftp.stderr, /store URL protocol ftp: is not supported \(use embedded:, http: or https:\)/);
  const fromEnv = await runInProcess(['pairs'], { PREFLOOP_STORE: 'clickhouse://db:9000' });
  assert.equal(fromEnv.code, 1);
  assert.match(fromEnv.stderr, /protocol clickhouse: is not supported/);
  const noFolder = await runInProcess(['sql', '--store', 'embedded:', 'SELECT 1']);
  assert.equal(noFolder.code, 1);
  assert.match(noFolder.stderr, /names no folder \(embedded:<folder>\)/);
  const junk = await runInProcess(['serve', '--store', 'not a url', '--endpoint', '127.0.0.1:0']);
  assert.equal(junk.code, 1);
  assert.match(junk.stderr, /neither embedded:<folder> nor http\(s\):\/\/host:port/);
});

test('serve on a port already taken: exit 1 naming the address, the folder left unlocked', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address() as AddressInfo;
  const folder = join(root, 'busy');
  try {
    const r = await runInProcess([
      'serve',
      '--store',
      `embedded:${folder}`,
      '--endpoint',
      `127.0.0.1:${port}`,
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.match(r.stderr, /EADDRINUSE|in use/i);
    assert.equal(existsSync(join(folder, SERVE_LOCK_FILE)), false);
  } finally {
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  }
  // The folder was released: another command opens it directly.
  const after = await runInProcess([
    'sql',
    '--format',
    'json',
    '--store',
    `embedded:${folder}`,
    'SELECT 1 AS one',
  ]);
  assert.equal(after.code, 0, after.stderr);
  assert.equal(after.stdout.trim(), '{"one":1}');
});

test('--endpoint that is not HOST:PORT: exit 2', async () => {
  const r = await runInProcess(['serve', '--endpoint', 'localhost', ...store]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--endpoint "localhost" is not HOST:PORT/);
});

test('migrate into a file, or under /proc: one line naming the folder, at once (mkdir -p spun for minutes)', async (t) => {
  const file = join(root, 'a-file');
  writeFileSync(file, 'x\n');
  const r = await runInProcess(['migrate', '--store', `embedded:${file}`]);
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    `prefloop migrate: cannot put the store in ${file}: it is a file, not a folder (name a folder; a missing one is created)\n`,
  );
  if (!existsSync('/proc/self')) return t.skip('no /proc here');
  const proc = await runCli(['migrate', '--store', 'embedded:/proc/prefloop-nope'], 60_000);
  assert.equal(proc.code, 1, proc.stderr);
  assert.equal(
    proc.stderr,
    'prefloop migrate: cannot create the folder /proc/prefloop-nope for the store: /proc does not take new files or folders (a system folder such as /proc? name another folder)\n',
  );
});

test('pairs with a bad --format: exit 2 naming it, before the store is opened', async () => {
  const r = await runInProcess(['pairs', '--format', 'xml', '--store', `embedded:${join(root, 'none')}`]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'prefloop pairs: --format must be table or json, not "xml"\n');
});
