// serve.lock.json in the embedded folder: lets `sql`/`export` reach the store through a running `serve`.
// The folder may come from a cloned repository, so a lock is trusted only when it can only be serve's own.
import { chmodSync, lstatSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { diag } from '../observe/diag.js';
import { openStore, parseStoreUrl } from '../sink/openStore.js';
import type { Store } from '../sink/Store.js';

export const SERVE_LOCK_FILE = 'serve.lock.json';

export interface ServeLock {
  pid: number;
  /** When the pid's process started (Linux clock ticks since boot), so a reused pid is not taken for serve. */
  pidStart?: string;
  /** Base URL of the running serve's query endpoint, e.g. http://127.0.0.1:4318/v1/query. */
  url: string;
  /** ISO time serve started. */
  started: string;
  /** Random per-run token for the SQL endpoint (the file is owner-only). */
  token?: string;
}

/** Writes the lock; returns a remover that deletes it only if it is still this process's lock. */
export function writeServeLock(folder: string, queryUrl: string, token?: string): () => void {
  const path = join(resolve(folder), SERVE_LOCK_FILE);
  const pidStart = processStart(process.pid);
  const lock: ServeLock = {
    pid: process.pid,
    ...(pidStart ? { pidStart } : {}),
    url: queryUrl,
    started: new Date().toISOString(),
    ...(token ? { token } : {}),
  };
  // A planted symlink is replaced, not written through.
  rmSync(path, { force: true });
  // Owner-only: the token in it opens the SQL endpoint, and clients trust no other mode.
  writeFileSync(path, JSON.stringify(lock, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600); // the umask cannot widen it, but be explicit
  return () => {
    if (readServeLock(folder)?.pid === process.pid) rmSync(path, { force: true });
  };
}

/**
 * The folder's lock when it is trustworthy: a regular file owned by this user with mode 0600, naming a
 * loopback URL and a live process of this user that started when the lock says (the serve that wrote it).
 * Undefined when there is none or its serve is gone; `problem` says why one was not trusted.
 */
export function inspectServeLock(folder: string): { lock?: ServeLock; problem?: string } {
  const path = join(resolve(folder), SERVE_LOCK_FILE);
  let raw: Partial<ServeLock>;
  try {
    const info = lstatSync(path);
    if (!info.isFile()) return { problem: `${path} is not a regular file` };
    const uid = process.getuid?.();
    if (uid !== undefined && info.uid !== uid) return { problem: `${path} is owned by another user` };
    if ((info.mode & 0o777) !== 0o600)
      return { problem: `${path} has mode ${(info.mode & 0o777).toString(8)}, not 600` };
    raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<ServeLock>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    return { problem: `${path} is unreadable (${(err as Error).message})` };
  }
  if (typeof raw.pid !== 'number' || typeof raw.url !== 'string')
    return { problem: `${path} has no pid or url` };
  if (!isLoopbackUrl(raw.url)) return { problem: `${path} names ${raw.url}, which is not loopback` };
  const lock: ServeLock = {
    pid: raw.pid,
    ...(typeof raw.pidStart === 'string' ? { pidStart: raw.pidStart } : {}),
    url: raw.url,
    started: String(raw.started ?? ''),
    ...(typeof raw.token === 'string' ? { token: raw.token } : {}),
  };
  // A serve that was killed leaves its lock behind: not a problem to report, just not a holder.
  if (lock.pid !== process.pid && !isServeProcess(lock)) return {};
  return { lock };
}

/** The folder's trustworthy lock, or undefined (see inspectServeLock). */
export function readServeLock(folder: string): ServeLock | undefined {
  return inspectServeLock(folder).lock;
}

/** True when a process with this pid exists and belongs to this user (EPERM: someone else's). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Alive, this user's, and (where /proc tells) started when the lock recorded: the very serve that wrote it. */
function isServeProcess(lock: ServeLock): boolean {
  if (!isPidAlive(lock.pid)) return false;
  const started = processStart(lock.pid);
  if (started === undefined) return lock.pidStart === undefined; // no /proc (macOS): liveness is all there is
  const uid = process.getuid?.();
  try {
    if (uid !== undefined && statSync(`/proc/${lock.pid}`).uid !== uid) return false;
  } catch {
    return false;
  }
  return lock.pidStart === started;
}

/** A process's start time from /proc/<pid>/stat (field 22), or undefined where there is no /proc. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isLoopbackUrl(text: string): boolean {
  try {
    const url = new URL(text);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return /^https?:$/.test(url.protocol) && (host === '::1' || host === 'localhost' || /^127\./.test(host));
  } catch {
    return false;
  }
}

/**
 * Opens the store a client command names: for an embedded folder that a live `serve` holds (by a lock it can
 * trust), an HttpStore speaking to serve's query endpoint with the lock's own token; otherwise the store itself.
 * The client never sends a secret that the file merely names.
 */
export async function resolveClientStore(storeUrl: string): Promise<Store> {
  const target = parseStoreUrl(storeUrl);
  if (target.kind === 'embedded') {
    const { lock, problem } = inspectServeLock(target.folder!);
    if (problem) diag('warn', 'client', `ignoring the serve lock: ${problem}`);
    if (lock && lock.pid !== process.pid) {
      const url = new URL(lock.url);
      const { HttpStore } = await import('../sink/HttpStore.js');
      return new HttpStore(
        {
          kind: 'http',
          url: `${url.protocol}//${url.host}`,
          pathname: url.pathname,
          database: target.database,
        },
        { servedStore: `embedded:${target.folder}`, ...(lock.token ? { bearerToken: lock.token } : {}) },
      );
    }
  }
  return openStore(storeUrl);
}
