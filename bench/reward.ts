// Reward endpoint benchmark (not a test): POST /v1/score over real HTTP, batches of 64 HH-RLHF completions, the
// default deterministic rubric file, the server in its own process (as serve runs) and the client here.
// Usage: node --import tsx bench/reward.ts [--quick]   (bench/run.ts calls benchSection)
//        node --import tsx bench/reward.ts serve        (the server child: prints READY <port>, stops on stdin EOF)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PATHS } from '../src/names.js';
import { loadConversations } from './llmSpans.js';
import { serveNodeFlags } from './serveFlags.js';

const self = fileURLToPath(import.meta.url);
const BATCH = 64;
const CONCURRENCY = 4;
/** Issue 27's floor on this machine: a trainer's inner loop must not wait on its reward function. */
const TARGET_PER_SECOND = 5_000;

interface RewardResult {
  completions: number;
  requests: number;
  seconds: number;
  perSecond: number;
  serverCpuSeconds: number;
  p50ms: number;
  p99ms: number;
}

/** The section for bench/run.ts. */
export async function benchSection({ quick }: { quick: boolean }): Promise<string> {
  const r = await measure(quick ? 20_000 : 100_000);
  return [
    '## Reward endpoint (`POST /v1/score`)',
    '',
    `Batches of ${BATCH} HH-RLHF completions (prompt as messages), ${CONCURRENCY} requests in flight over keep-alive`,
    'HTTP, the default rubric file (deterministic rubrics only), serve in its own process; after a warm-up.',
    `Target: at least ${TARGET_PER_SECOND.toLocaleString('en')} completions/s — ${r.perSecond >= TARGET_PER_SECOND ? 'met' : '**missed**'}.`,
    '',
    '| completions | requests | wall s | completions/s | server CPU s | server CPU µs / completion | request p50 ms | p99 ms |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${r.completions} | ${r.requests} | ${r.seconds.toFixed(2)} | ${Math.round(r.perSecond)} | ${r.serverCpuSeconds.toFixed(2)} | ${((r.serverCpuSeconds / r.completions) * 1e6).toFixed(0)} | ${r.p50ms.toFixed(1)} | ${r.p99ms.toFixed(1)} |`,
  ].join('\n');
}

async function measure(total: number): Promise<RewardResult> {
  const { conversations } = loadConversations(5_000);
  const bodies: string[] = [];
  for (let i = 0; i < Math.ceil(total / BATCH); i++) {
    const items = [];
    for (let j = 0; j < BATCH; j++) {
      const c = conversations[(i * BATCH + j) % conversations.length]!;
      items.push({ prompt: c.messages, completion: c.reply });
    }
    bodies.push(JSON.stringify(items));
  }
  const server = await startServer();
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const post = (body: string) => postJson(agent, server.port, body);
    // Warm-up: V8 compiles the hot path; serve runs for days, so the steady state is what the figure describes.
    await runAll(bodies.slice(0, Math.min(200, bodies.length)), post);
    const cpuBefore = await server.cpu();
    const started = performance.now();
    const latencies = await runAll(bodies, post);
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = await server.cpu();
    agent.destroy();
    latencies.sort((a, b) => a - b);
    return {
      completions: bodies.length * BATCH,
      requests: bodies.length,
      seconds,
      perSecond: (bodies.length * BATCH) / seconds,
      serverCpuSeconds: cpuAfter - cpuBefore,
      p50ms: latencies[Math.floor(latencies.length * 0.5)]!,
      p99ms: latencies[Math.floor(latencies.length * 0.99)]!,
    };
  } finally {
    await server.stop();
  }
}

/** Sends every body, CONCURRENCY at a time; each request's latency in ms. */
async function runAll(bodies: string[], post: (b: string) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const t = performance.now();
      await post(body);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return latencies;
}

function postJson(agent: Agent, port: number, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: PATHS.score,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200)
            reject(
              new Error(
                `/v1/score answered ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 200)}`,
              ),
            );
          else resolve();
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface ServerChild {
  port: number;
  /** The server process's CPU seconds so far (user + system). */
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

function startServer(): Promise<ServerChild> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...serveNodeFlags(), '--import', 'tsx', self, 'serve'], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, PREFLOOP_TEST: '1' },
    });
    const waiting: ((cpu: number) => void)[] = [];
    let ready = false;
    const exited = new Promise<void>((r) =>
      child.on('exit', (code) => {
        // A child that dies before READY (a bad config, a port error) fails the bench instead of hanging it.
        if (!ready) reject(new Error(`the reward bench server exited with code ${code} before it was ready`));
        r();
      }),
    );
    child.on('error', reject);
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('READY ')) {
        ready = true;
        resolve({
          port: Number(line.slice(6)),
          cpu: () =>
            new Promise((r) => {
              waiting.push(r);
              child.stdin.write('cpu\n');
            }),
          stop: () => {
            child.stdin.end();
            return exited;
          },
        });
      } else if (line.startsWith('CPU ')) waiting.shift()?.(Number(line.slice(4)));
    });
  });
}

/** The server child: serve with the default config on a temp store; `cpu` on stdin prints its CPU seconds. */
async function serveChild(): Promise<void> {
  const { startPrefloop } = await import('../src/serve/startPrefloop.js');
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-bench-reward-'));
  const running = await startPrefloop({
    storeUrl: `embedded:${join(dir, 'store')}`,
    endpoint: '127.0.0.1:0',
  });
  process.stdout.write(`READY ${new URL(running.url).port}\n`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line !== 'cpu') return;
    const u = process.cpuUsage();
    process.stdout.write(`CPU ${(u.user + u.system) / 1e6}\n`);
  });
  await new Promise<void>((r) => lines.on('close', () => r()));
  await running.close();
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
}

if (process.argv[1] === self) {
  if (process.argv[2] === 'serve') await serveChild();
  else console.log(await benchSection({ quick: process.argv.includes('--quick') }));
}
