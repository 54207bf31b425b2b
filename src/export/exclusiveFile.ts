// Export files are written under a temporary name created exclusively, then renamed into place: a planted
// symlink (manifest.json, train.jsonl.partial → elsewhere) is replaced, never written through.
import { createWriteStream, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { WriteStream } from 'node:fs';

/** The temporary name a file is written under before it is renamed to `path`. */
export function partialPath(path: string): string {
  return `${path}.partial`;
}

/**
 * A write stream on `path`'s temporary name, created anew: whatever was there (a stale file, a symlink) is
 * removed first (rm removes a link, not its target), and `wx` refuses anything that appears in between.
 */
export function createExclusiveStream(path: string): WriteStream {
  const partial = partialPath(path);
  rmSync(partial, { force: true });
  return createWriteStream(partial, { flags: 'wx' });
}

/** Writes `data` to `path` through an exclusive temporary file and a rename (which replaces a link itself). */
export function writeFileReplacing(path: string, data: string): void {
  const partial = partialPath(path);
  rmSync(partial, { force: true });
  writeFileSync(partial, data, { flag: 'wx' });
  renameSync(partial, path);
}
