// The on-disk cache of model answers and log-probabilities: keyed by endpoint, model, request and params,
// so a gate run repeated on the same hold-out sends nothing twice.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class AnswerCache {
  hits = 0;
  misses = 0;

  /** `folder` undefined: no cache (every request goes out). */
  constructor(readonly folder: string | undefined) {}

  /** The cached value for `key` parts, else what `fetch` returns (then stored). */
  async through<T>(parts: unknown, fetch: () => Promise<T>): Promise<T> {
    if (this.folder === undefined) return fetch();
    const key = createHash('sha256').update(JSON.stringify(parts)).digest('hex');
    const dir = join(this.folder, key.slice(0, 2));
    const path = join(dir, `${key}.json`);
    try {
      const value = (JSON.parse(readFileSync(path, 'utf8')) as { value: T }).value;
      this.hits++;
      return value;
    } catch {
      // Missing or unreadable (a torn write): ask again.
    }
    this.misses++;
    const value = await fetch();
    mkdirSync(dir, { recursive: true });
    // Written aside and renamed, so a run killed mid-write never leaves a half entry that reads as an answer.
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ value }));
    renameSync(tmp, path);
    return value;
  }
}
