// CPU time of this process's threads (Linux /proc): the JavaScript main thread alone, and Node's other threads
// split into V8's helpers and libuv's pool; chDB's own threads apart.
import { execFileSync } from 'node:child_process';
import { pbkdf2 } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** Clock ticks per second of /proc times: `getconf CLK_TCK`, read once. */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
      ticksPerSecond = Number.isFinite(n) && n > 0 ? n : 100;
    } catch {
      // No getconf: 100 is USER_HZ on every mainstream Linux build, and the kernel reports /proc in USER_HZ.
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** A thread's name and its user + system CPU in clock ticks, from `/proc/self/task/<tid>/stat`; undefined if gone. */
function taskStat(tid: string): { name: string; ticks: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  } catch {
    return undefined; // not Linux, or the thread ended meanwhile
  }
  // Fields after the command name, which is in parentheses and may itself hold spaces or ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // proc(5): utime is field 14 and stime field 15, counted from 1 with pid and comm as fields 1 and 2.
  const ticks = Number(fields[14 - 3]) + Number(fields[15 - 3]);
  if (!Number.isFinite(ticks)) return undefined;
  return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ticks };
}

/**
 * user + system CPU seconds of the main thread (its task id is the process id), or undefined where /proc
 * is missing (not Linux). Resolution is one clock tick (10 ms), so sample only around whole phases.
 */
export function mainThreadCpuSeconds(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const ticks = clockTicks(); // before reading: the first call's getconf must fall outside the sample
  const main = taskStat(String(process.pid));
  return main === undefined ? undefined : main.ticks / ticks;
}

/** Seconds of main-thread CPU since `start` (a mainThreadCpuSeconds() sample), or undefined if unmeasured. */
export function mainThreadCpuSince(start: number | undefined): number | undefined {
  return cpuSince(start, mainThreadCpuSeconds());
}

/** `now - start`, or undefined when either sample is. */
function cpuSince(start: number | undefined, now: number | undefined): number | undefined {
  return start === undefined || now === undefined ? undefined : now - start;
}

/** This process's threads: task id → name and CPU ticks; undefined where /proc is missing (not Linux). */
function threadTicks(): Map<string, { name: string; ticks: number }> | undefined {
  if (process.platform !== 'linux') return undefined;
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return undefined;
  }
  const out = new Map<string, { name: string; ticks: number }>();
  for (const tid of tids) {
    const thread = taskStat(tid);
    if (thread) out.set(tid, thread);
  }
  return out;
}

/** The name Node's own threads carry (`/proc/self/comm`, "node"); the engine names its threads otherwise. */
function ownName(): string | undefined {
  try {
    return readFileSync('/proc/self/comm', 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** PBKDF2 rounds that keep one libuv worker busy for several clock ticks (~50-100 ms here). */
const PROBE_ROUNDS = 300_000;
/** A thread that ran a probe job shows at least this many ticks of it; an idle one shows none. */
const PROBE_MIN_TICKS = 3;

/**
 * The task ids of libuv's thread pool, or undefined when they cannot be told apart. Why a probe: the pool's
 * threads and V8's helpers both carry Node's name, yet only the pool runs native work handed off the main
 * thread (the embedded engine's inserts, file I/O), while V8's helpers run garbage collection and compiling,
 * which is prefloop's own JavaScript's cost. So the pool is given one PBKDF2 job per thread, all at once:
 * the threads that gain CPU meanwhile are the pool's. Tried up to three times; it fails when the count of
 * busy threads is not the pool's size (a V8 helper that happened to collect garbage meanwhile).
 */
export async function libuvPoolThreads(): Promise<ReadonlySet<string> | undefined> {
  const own = ownName();
  // libuv's default size, or the one the environment sets (UV_THREADPOOL_SIZE, capped at 1024 by libuv).
  const size = Math.min(1024, Number(process.env.UV_THREADPOOL_SIZE) || 4);
  if (own === undefined) return undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = threadTicks();
    if (!before) return undefined;
    await Promise.all(
      Array.from(
        { length: size },
        () => new Promise((resolve) => pbkdf2('probe', 'salt', PROBE_ROUNDS, 32, 'sha256', resolve)),
      ),
    );
    const after = threadTicks();
    if (!after) return undefined;
    const busy = new Set<string>();
    for (const [tid, thread] of after) {
      const gained = thread.ticks - (before.get(tid)?.ticks ?? 0);
      if (tid !== String(process.pid) && thread.name === own && gained >= PROBE_MIN_TICKS) busy.add(tid);
    }
    if (busy.size === size) return busy;
  }
  return undefined;
}

/** CPU seconds of Node's threads other than the main one, split into libuv's pool and V8's helpers. */
export interface NodeThreadsCpu {
  /**
   * Node's platform threads: V8's concurrent and parallel garbage collection and its compiler (prefloop's
   * JavaScript's own cost), and, under `--import tsx` as in the bench, the module loader's worker.
   */
  v8Helpers: number;
  /** libuv's pool: the embedded engine's insert calls and file I/O (the spool's). */
  libuvPool: number;
}

/**
 * CPU seconds so far of this process's threads that carry Node's own name, other than the main one, split by
 * `pool` (libuvPoolThreads()'s ids). Threads the engine starts itself carry their own names and are left out.
 * Undefined where /proc is missing.
 */
export function nodeThreadsCpuSeconds(pool: ReadonlySet<string>): NodeThreadsCpu | undefined {
  const ticks = clockTicks(); // before reading: the first call's getconf must fall outside the sample
  const own = ownName();
  const threads = threadTicks();
  if (own === undefined || threads === undefined) return undefined;
  let helpers = 0;
  let libuv = 0;
  for (const [tid, thread] of threads) {
    if (tid === String(process.pid) || thread.name !== own) continue;
    if (pool.has(tid)) libuv += thread.ticks;
    else helpers += thread.ticks;
  }
  return { v8Helpers: helpers / ticks, libuvPool: libuv / ticks };
}

/** `now - start` per part, or undefined when either sample is. */
export function nodeThreadsCpuSince(
  start: NodeThreadsCpu | undefined,
  now: NodeThreadsCpu | undefined,
): NodeThreadsCpu | undefined {
  if (start === undefined || now === undefined) return undefined;
  return { v8Helpers: now.v8Helpers - start.v8Helpers, libuvPool: now.libuvPool - start.libuvPool };
}
