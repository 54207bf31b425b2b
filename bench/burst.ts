// Burst benchmark (not a test): four OTLP/protobuf exporters send three times the default queue as fast as
// they can to `prefloop serve` on an embedded store, with the default rubrics; reports the sustained
// acknowledged rate, the share of requests answered 429, the server's peak memory, and the time until
// everything is stored. Usage: node --import tsx bench/burst.ts [spans]   (bench/run.ts calls benchSection)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { BURST_BATCH, runBurstExporter } from './burstLoad.js';
import { serveNodeFlags } from './serveFlags.js';

const EXPORTERS = 4;
const CLI = fileURLToPath(new URL('../bin/prefloop.js', import.meta.url));

/** The section for bench/run.ts: 300,000 spans (three times the default queue), or 150,000 with `quick` (still past the queue). */
export async function benchSection({ quick }: { quick: boolean }): Promise<string> {
  return renderSection(await runBurst(quick ? 150_000 : 300_000));
}

interface BurstResult {
  spans: number;
  ackSeconds: number;
  storedSeconds: number;
  requests: number;
  refused429: number;
  spooledRows: number;
  peakRssMiB: number;
  exitCode: number | null;
}

/** Prometheus text → sum of the series of `name` whose labels contain `label` (all when omitted). */
function sum(text: string, name: string, label = ''): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
    if (!line.includes(label)) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

async function runBurst(spans: number): Promise<BurstResult> {
  const root = mkdtempSync(join(tmpdir(), 'prefloop-bench-burst-'));
  const child = spawn(
    process.execPath,
    [
      ...serveNodeFlags(),
      CLI,
      'serve',
      '--endpoint',
      '127.0.0.1:0',
      '--store',
      `embedded:${join(root, 'data')}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', () => undefined);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    let url: string | undefined;
    for (let i = 0; i < 1200 && !url; i++) {
      url = /prefloop serving on (\S+)/.exec(out)?.[1];
      if (!url) await sleep(50);
    }
    if (!url) throw new Error('prefloop serve did not start within 60 s');
    const metrics = async () => (await fetch(`${url}/metrics`)).text();
    const acked = new Set<string>();
    const share = Math.ceil(spans / EXPORTERS / BURST_BATCH) * BURST_BATCH;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: EXPORTERS }, (_, index) => runBurstExporter({ url: url!, index, share, acked })),
    );
    const ackSeconds = (performance.now() - started) / 1000;
    let m = await metrics();
    while (sum(m, 'prefloop_sink_queue_spans') > 0 || sum(m, 'prefloop_sink_spool_bytes') > 0) {
      await sleep(100);
      m = await metrics();
    }
    const storedSeconds = (performance.now() - started) / 1000;
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const peakKiB = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    child.kill('SIGTERM');
    return {
      spans: acked.size,
      ackSeconds,
      storedSeconds,
      requests: sum(m, 'prefloop_receiver_requests_total', 'route="/v1/traces"'),
      refused429: sum(m, 'prefloop_receiver_requests_total', 'code="429"'),
      spooledRows: sum(m, 'prefloop_sink_rows_spooled_total'),
      peakRssMiB: peakKiB / 1024,
      exitCode: await exited,
    };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  }
}

function renderSection(r: BurstResult): string {
  const share = r.requests > 0 ? ((100 * r.refused429) / r.requests).toFixed(1) : 'n/a';
  return [
    '## Burst: backpressure instead of loss',
    '',
    `Four OTLP/protobuf exporters (the OpenTelemetry JS SDK's) send ${r.spans.toLocaleString('en-US')} LLM spans`,
    'in batches of 1,000 as fast as they can, to `prefloop serve` on an embedded store with the default',
    'rubrics and default settings (queue of 100,000 spans); a refused batch is sent again.',
    '',
    '| figure | value |',
    '| --- | --- |',
    `| sustained acknowledged rate | ${Math.round(r.spans / r.ackSeconds).toLocaleString('en-US')} spans/s (${r.ackSeconds.toFixed(1)} s) |`,
    `| stored, counting from the start | ${r.storedSeconds.toFixed(1)} s |`,
    `| requests answered 429 | ${r.refused429.toLocaleString('en-US')} of ${r.requests.toLocaleString('en-US')} (${share}%) |`,
    `| rows spooled (the store stayed up) | ${r.spooledRows} |`,
    `| server peak memory (VmHWM) | ${r.peakRssMiB.toFixed(0)} MiB |`,
    `| exit after SIGTERM | ${r.exitCode} |`,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const spans = Number(process.argv[2] ?? 300_000);
  process.stdout.write(renderSection(await runBurst(spans)));
}
