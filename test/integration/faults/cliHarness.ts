// Runs the prefloop CLI from source in child processes: a long-running `serve` to signal or kill, and
// one-shot commands with a bounded wait. Everything is bounded: a deadline, then a failure that says why.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { run } from '../../../src/cli/main.js';
import { packageRoot, packagePath } from '../../../src/paths.js';

const LAUNCHER = packagePath('test', 'helpers', 'cliMain.ts');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliChild {
  readonly child: ChildProcess;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<Exit>;
}

function childEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PREFLOOP_LOG_LEVEL: 'warn' };
  // A store or config from the test runner's environment must not leak into the child.
  delete env.PREFLOOP_STORE;
  delete env.PREFLOOP_CONFIG;
  return { ...env, ...extra };
}

/** Starts `prefloop <args>` (from source) with the package root as working folder. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): CliChild {
  const child = spawn(process.execPath, ['--import', 'tsx', LAUNCHER, ...args], {
    cwd: packageRoot,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

export interface CliResult extends Exit {
  stdout: string;
  stderr: string;
}

/** Runs `prefloop <args>` to completion; kills it and fails after `limitMs`. */
export async function runCli(
  args: string[],
  limitMs = 20_000,
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  const c = startCli(args, env);
  const exit = await withDeadline(c.exited, limitMs, () => {
    c.child.kill('SIGKILL');
    return `prefloop ${args.join(' ')} did not finish within ${limitMs} ms\nstderr: ${c.stderr()}`;
  });
  return { ...exit, stdout: c.stdout(), stderr: c.stderr() };
}

/**
 * Runs `prefloop <args>` in this process through the CLI's `run` (no child start-up cost): for one-shot
 * commands, where this process is just another client of the folder a serve child holds.
 */
export async function runInProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void): Writable =>
    new Writable({
      write(chunk: Buffer | string, _enc, done) {
        append(chunk.toString());
        done();
      },
    });
  const code = await run(args, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    isTTY: false,
    env: childEnv(env),
    cwd: packageRoot,
  });
  return { code, signal: null, stdout, stderr };
}

/** A running `prefloop serve`, with the base URL it printed. */
export interface ServeChild extends CliChild {
  readonly url: string;
  /** Sends `signal` and waits (bounded) for the exit. */
  stop(signal: NodeJS.Signals, limitMs?: number): Promise<Exit>;
}

/** Starts `prefloop serve --endpoint 127.0.0.1:0 <args>` and waits (bounded) for it to print its URL. */
export async function startServe(args: string[], limitMs = 60_000): Promise<ServeChild> {
  const c = startCli(['serve', '--endpoint', '127.0.0.1:0', ...args]);
  const deadline = Date.now() + limitMs;
  let url: string | undefined;
  for (;;) {
    url = /prefloop serving on (\S+)/.exec(c.stdout())?.[1];
    if (url) break;
    if (c.child.exitCode !== null || c.child.signalCode !== null)
      throw new Error(`prefloop serve exited before serving (code ${c.child.exitCode}):\n${c.stderr()}`);
    if (Date.now() > deadline) {
      c.child.kill('SIGKILL');
      throw new Error(`prefloop serve did not start within ${limitMs} ms:\n${c.stderr()}`);
    }
    await sleep(25);
  }
  return {
    ...c,
    url,
    async stop(signal, stopLimitMs = 20_000) {
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill(signal);
      return withDeadline(c.exited, stopLimitMs, () => {
        c.child.kill('SIGKILL');
        return `prefloop serve did not exit within ${stopLimitMs} ms of ${signal}\nstderr: ${c.stderr()}`;
      });
    },
  };
}

/** Kills a serve child if a test failed before stopping it (cleanup in `finally`). */
export async function ensureStopped(serve: CliChild | undefined): Promise<void> {
  if (!serve || serve.child.exitCode !== null || serve.child.signalCode !== null) return;
  serve.child.kill('SIGKILL');
  await serve.exited;
}

async function withDeadline<T>(work: Promise<T>, limitMs: number, onTimeout: () => string): Promise<T> {
  const cancel = new AbortController();
  const timeout = sleep(limitMs, undefined, { signal: cancel.signal }).then(
    () => {
      throw new Error(onTimeout());
    },
    () => undefined as never,
  );
  try {
    return await Promise.race([work, timeout]);
  } finally {
    cancel.abort();
  }
}

export { until } from '../../helpers/until.js';

/** GET /metrics, parsed: `name{labels}` → value. */
export async function scrape(baseUrl: string): Promise<Map<string, number>> {
  const res = await fetch(`${baseUrl}/metrics`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}: ${text}`);
  return parseMetrics(text);
}

/** Prometheus text format → series (name with labels as written) → value. */
export function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

/** Sum of every series of a metric (all label sets). */
export function total(series: Map<string, number>, name: string): number {
  let sum = 0;
  for (const [key, value] of series) if (key === name || key.startsWith(`${name}{`)) sum += value;
  return sum;
}
