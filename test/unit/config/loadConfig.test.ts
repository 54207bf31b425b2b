// prefloop.yaml loading: shipped examples load, ${env:} substitution, every problem listed with its path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, defaultConfig, loadConfigFile, parseConfig } from '../../../src/config/loadConfig.js';
import { DEFAULTS } from '../../../src/names.js';
import { packagePath } from '../../../src/paths.js';

const examples = readdirSync('collector-config').filter(
  (f) => f.startsWith('prefloop') && f.endsWith('.yaml'),
);

for (const file of examples) {
  test(`shipped example ${file} loads`, () => {
    const config = loadConfigFile(join('collector-config', file), {});
    assert.ok(config.receiver.protocols.http.endpoint.includes(':'));
    assert.ok(config.clickhouse);
  });
}

test('built-in defaults: OTLP on 127.0.0.1:4318, default rubric file, embedded store', () => {
  const config = defaultConfig();
  assert.equal(config.receiver.protocols.http.endpoint, DEFAULTS.endpoint);
  assert.equal(config.receiver.protocols.http.max_request_body_size, DEFAULTS.maxBodyBytes);
  // The shipped file, by its absolute path: from an install, a relative path would name the user's folder.
  assert.equal(config.rubrics[0]?.file, packagePath(DEFAULTS.rubricFile));
  assert.equal(config.clickhouse.endpoint, undefined);
  assert.equal(config.clickhouse.batch.flush_interval, 1000);
});

test('${env:NAME} substitution, with fallback, and durations/sizes in units', () => {
  const yaml = `
receivers: { otlp: { protocols: { http: { endpoint: "\${env:HOST}:4319", max_request_body_size: 1MiB, body_timeout: 2s } } } }
exporters: { clickhouse: { endpoint: "\${env:STORE:-embedded:/tmp/x}", batch: { max_rows: "\${env:ROWS}" } } }
service: { pipelines: { traces: { receivers: [otlp], exporters: [clickhouse] } } }`;
  const config = parseConfig(yaml, 'inline', { HOST: '0.0.0.0', ROWS: '10' });
  assert.equal(config.receiver.protocols.http.endpoint, '0.0.0.0:4319');
  assert.equal(config.receiver.protocols.http.max_request_body_size, 1024 * 1024);
  assert.equal(config.receiver.protocols.http.body_timeout, 2000);
  assert.equal(config.clickhouse.endpoint, 'embedded:/tmp/x');
  assert.equal(config.clickhouse.batch.max_rows, 10);
});

test('a bad file is refused with every problem listed by its path', () => {
  const yaml = `
receivers:
  otlp: { protocols: { http: { endpoint: "nope", body_timeout: "soon" } } }
  kafka: {}
processors:
  rubrics: { file: 42 }
  masking: { hide_inputs: "yes", builtin_patterns: [phone_numbers] }
exporters:
  clickhouse: { batch: { max_rows: -1 }, cluster: "c' SETTINGS x=1", typo_key: 1 }
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [rubrics, missing]
      exporters: [clickhouse]
  shutdown_grace: 5s
`;
  let error: ConfigError | undefined;
  try {
    parseConfig(yaml, 'bad.yaml', {});
  } catch (err) {
    error = err as ConfigError;
  }
  assert.ok(error instanceof ConfigError);
  const text = error.problems.join('\n');
  assert.match(text, /receivers\.otlp\.protocols\.http\.endpoint: expected HOST:PORT/);
  assert.match(text, /receivers\.otlp\.protocols\.http\.body_timeout: expected a duration/);
  assert.match(text, /receivers\.kafka: unknown receiver type "kafka"/);
  assert.match(text, /processors\.rubrics\.file:/);
  assert.match(text, /processors\.masking\.hide_inputs:/);
  assert.match(text, /processors\.masking\.builtin_patterns\.0:/);
  assert.match(text, /exporters\.clickhouse\.batch\.max_rows:/);
  assert.match(text, /exporters\.clickhouse: .*typo_key/);
  assert.match(text, /exporters\.clickhouse\.cluster: expected a cluster name/);
  assert.match(text, /service\.pipelines\.traces\.processors\[1\]: "missing" is not defined/);
  assert.ok(error.problems.length >= 10, text);
  assert.match(error.message, /^invalid config bad\.yaml:/);
});

test('a missing environment variable is named', () => {
  const yaml = `exporters: { clickhouse: { endpoint: "\${env:NOT_SET_ANYWHERE}" } }
receivers: { otlp: {} }
service: { pipelines: { traces: { receivers: [otlp], exporters: [clickhouse] } } }`;
  assert.throws(
    () => parseConfig(yaml, 'x.yaml', {}),
    /exporters\.clickhouse\.endpoint: environment variable NOT_SET_ANYWHERE is not set/,
  );
});

test('YAML syntax errors are reported, not thrown raw', () => {
  assert.throws(
    () => parseConfig('receivers: [unclosed', 'broken.yaml', {}),
    (err: unknown) => {
      return err instanceof ConfigError && /YAML:/.test(err.problems[0] ?? '');
    },
  );
});
