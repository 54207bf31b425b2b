// CPU time of this process's JavaScript main thread alone (Linux /proc), apart from chDB's and V8's threads.
import { execFileSync } from 'node:child_process';
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
export function cpuSince(start: number | undefined, now: number | undefined): number | undefined {
  return start === undefined || now === undefined ? undefined : now - start;
}

/**
 * CPU seconds of this process's threads other than the main one that carry Node's own name (`/proc/self/comm`,
 * "node"): V8's helpers (concurrent garbage collection, compiling) and libuv's thread pool (file I/O such as
 * the spool's, and native calls run off the main thread, which here include the embedded engine's inserts).
 * Threads the engine starts itself carry their own names and are left out. Undefined where /proc is missing.
 */
export function otherNodeThreadsCpuSeconds(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const ticks = clockTicks();
  let own: string;
  let tids: string[];
  try {
    own = readFileSync('/proc/self/comm', 'utf8').trim();
    tids = readdirSync('/proc/self/task');
  } catch {
    return undefined;
  }
  let total = 0;
  for (const tid of tids) {
    const thread = tid === String(process.pid) ? undefined : taskStat(tid);
    if (thread?.name === own) total += thread.ticks;
  }
  return total / ticks;
}
