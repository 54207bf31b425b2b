// serve.lock.json in the embedded folder: lets `sql`/`export` reach the store through a running `serve`.
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openStore, parseStoreUrl } from '../sink/openStore.js';
import type { Store } from '../sink/Store.js';
import { StoreError } from '../sink/Store.js';

export const SERVE_LOCK_FILE = 'serve.lock.json';

export interface ServeLock {
  pid: number;
  /** Base URL of the running serve's query endpoint, e.g. http://127.0.0.1:4318/v1/query. */
  url: string;
  /** ISO time serve started. */
  started: string;
  /** When serve requires bearer auth: the environment variable whose (first) token clients send. */
  authEnv?: string;
  /** Random per-run token for the SQL endpoint when no bearer auth is configured (the file is owner-only). */
  token?: string;
}

/** Writes the lock; returns a remover that deletes it only if it is still this process's lock. */
export function writeServeLock(
  folder: string,
  queryUrl: string,
  access: { token?: string; authEnv?: string } = {},
): () => void {
  const path = join(resolve(folder), SERVE_LOCK_FILE);
  const lock: ServeLock = {
    pid: process.pid,
    url: queryUrl,
    started: new Date().toISOString(),
    ...(access.authEnv ? { authEnv: access.authEnv } : {}),
    ...(access.token ? { token: access.token } : {}),
  };
  // Owner-only: the token in it opens the SQL endpoint.
  writeFileSync(path, JSON.stringify(lock, null, 2) + '\n', { mode: 0o600 });
  chmodSync(path, 0o600); // a stale lock from a killed serve keeps its old mode otherwise
  return () => {
    if (readServeLock(folder)?.pid === process.pid) rmSync(path, { force: true });
  };
}

/** The folder's lock, or undefined when there is none or it is unreadable. */
export function readServeLock(folder: string): ServeLock | undefined {
  try {
    const raw = JSON.parse(
      readFileSync(join(resolve(folder), SERVE_LOCK_FILE), 'utf8'),
    ) as Partial<ServeLock>;
    if (typeof raw.pid !== 'number' || typeof raw.url !== 'string') return undefined;
    return {
      pid: raw.pid,
      url: raw.url,
      started: String(raw.started ?? ''),
      ...(typeof raw.authEnv === 'string' ? { authEnv: raw.authEnv } : {}),
      ...(typeof raw.token === 'string' ? { token: raw.token } : {}),
    };
  } catch {
    return undefined;
  }
}

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Opens the store a client command names: for an embedded folder that a live `serve` holds, an HttpStore
 * speaking to serve's query endpoint; otherwise the store itself. A lock whose pid is gone is ignored.
 */
export async function resolveClientStore(
  storeUrl: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Store> {
  const target = parseStoreUrl(storeUrl);
  if (target.kind === 'embedded') {
    const lock = readServeLock(target.folder!);
    if (lock && lock.pid !== process.pid && isPidAlive(lock.pid)) {
      const url = new URL(lock.url);
      const { HttpStore } = await import('../sink/HttpStore.js');
      const token = lock.authEnv ? env[lock.authEnv]?.split(',')[0]?.trim() : lock.token;
      if (lock.authEnv && !token)
        throw new StoreError(
          `the store at ${target.folder} is held by prefloop serve (pid ${lock.pid}), which requires bearer auth: set ${lock.authEnv} here too`,
          'AUTH_REQUIRED',
        );
      return new HttpStore(
        {
          kind: 'http',
          url: `${url.protocol}//${url.host}`,
          pathname: url.pathname,
          database: target.database,
        },
        { servedStore: `embedded:${target.folder}`, ...(token ? { bearerToken: token } : {}) },
      );
    }
  }
  return openStore(storeUrl);
}
