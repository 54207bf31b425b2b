// docker-compose.yml cannot run here (no Docker engine), so check what can be checked: every mounted
// file exists, and every port and host name lines up with the configs it wires together.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadConfigFile } from '../../../src/config/loadConfig.js';

interface Service {
  image?: string;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, unknown> | string[];
}
const compose = parse(readFileSync('docker-compose.yml', 'utf8')) as { services: Record<string, Service> };
const services = compose.services;

test('every bind-mounted file or folder exists in the repository', () => {
  for (const [name, service] of Object.entries(services)) {
    for (const volume of service.volumes ?? []) {
      const source = volume.split(':')[0]!;
      if (!source.startsWith('.')) continue; // named volume
      assert.ok(existsSync(source), `${name} mounts ${source}, which does not exist`);
    }
  }
});

test('prefloop listens where its published port and the collector exporter point', () => {
  const prefloop = services.prefloop!;
  const configArg = prefloop.command!.join(' ').match(/--config (\S+)/)![1]!;
  assert.ok(existsSync(configArg), `${configArg} exists`);
  const config = loadConfigFile(configArg, { CLICKHOUSE_PASSWORD: 'x' });
  const listenPort = config.receiver.protocols.http.endpoint.split(':').pop();
  assert.ok(
    prefloop.ports!.some((p) => p.endsWith(`:${listenPort}`)),
    'published port maps the listen port',
  );
  assert.match(
    config.receiver.protocols.http.endpoint,
    /^0\.0\.0\.0:/,
    'listens beyond loopback inside the container',
  );

  const otelcol = parse(readFileSync('collector-config/otelcol.yaml', 'utf8')) as {
    exporters: Record<string, { endpoint: string }>;
  };
  const target = new URL(otelcol.exporters['otlphttp/prefloop']!.endpoint);
  assert.equal(target.hostname, 'prefloop', 'collector forwards to the prefloop service');
  assert.equal(target.port, listenPort, 'collector forwards to the port prefloop listens on');
});

test('the prefloop store URL names the compose ClickHouse service on its HTTP port', () => {
  const configArg = services.prefloop!.command!.join(' ').match(/--config (\S+)/)![1]!;
  const config = loadConfigFile(configArg, { CLICKHOUSE_PASSWORD: 'x' });
  const url = new URL(config.clickhouse.endpoint!);
  assert.equal(url.hostname, 'clickhouse');
  assert.ok(services.clickhouse!.ports!.some((p) => p.endsWith(`:${url.port}`)));
});

test('the collector config mounted into the collector exists and receives OTLP on published ports', () => {
  const otelcol = services['otel-collector']!;
  const mount = otelcol.volumes!.find((v) => v.includes('otelcol.yaml'))!;
  const [source, target] = mount.split(':');
  assert.ok(existsSync(source!));
  assert.ok(
    otelcol.command!.some((c) => c.includes(target!)),
    'collector is started with the mounted config',
  );
  assert.ok(otelcol.ports!.includes('4318:4318') && otelcol.ports!.includes('4317:4317'));
});

test('compose runs serve with the same V8 young-generation size as npm start', () => {
  const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
    .scripts.start!;
  const flag = /--max-semi-space-size=\d+/.exec(start)?.[0];
  assert.ok(flag, 'npm start sets --max-semi-space-size');
  assert.equal(services.prefloop!.environment!.NODE_OPTIONS, flag);
});
