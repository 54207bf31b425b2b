// A folder for an export, a report or an embedded store: checked (a folder, or creatable; writable) and
// created, a level at a time, before anything is written.
import { closeSync, mkdirSync, openSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface OutDir {
  readonly path: string;
  /** Removes the folders this created (innermost first, only while empty): an export that failed leaves none. */
  discard(): void;
}

/**
 * Makes sure `path` is a folder this process can write in, creating the missing levels one at a time.
 * Throws one line naming the problem. Why not `mkdir -p`: under a pseudo-filesystem (/proc) the engine's
 * recursive mkdir gets ENOENT for a folder whose parent exists and retries it for minutes at full CPU.
 */
export function prepareOutDir(path: string, purpose = 'the export', mode?: number): OutDir {
  const refuse = purpose === 'the export' ? `cannot export to ${path}` : `cannot put ${purpose} in ${path}`;
  const missing: string[] = [];
  let existing = path;
  for (;;) {
    const kind = kindOf(existing, refuse);
    if (kind === 'folder') break;
    if (kind === 'other')
      throw new Error(
        existing === path
          ? `${refuse}: it is a file, not a folder (name a folder; a missing one is created)`
          : `${refuse}: ${existing} is a file, not a folder`,
      );
    missing.unshift(existing);
    const parent = dirname(existing);
    if (parent === existing) break; // a root that does not exist: mkdir below names it
    existing = parent;
  }
  const created: string[] = [];
  const discard = () => {
    for (const dir of [...created].reverse()) {
      try {
        rmdirSync(dir);
      } catch {
        return; // not empty (someone else's files): leave it and its parents
      }
    }
  };
  try {
    for (const dir of missing) {
      try {
        mkdirSync(dir, mode);
      } catch (err) {
        throw new Error(`cannot create the folder ${dir} for ${purpose}: ${why(err, dirname(dir))}`, {
          cause: err,
        });
      }
      created.push(dir);
    }
    probeWritable(path, purpose);
  } catch (err) {
    discard();
    throw err;
  }
  return { path, discard };
}

function kindOf(path: string, refuse: string): 'folder' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'other';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ENOTDIR: a level above is a file; the walk up reaches it and names it.
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw new Error(`${refuse}: ${(err as Error).message}`, { cause: err });
  }
}

/** Creates and removes a file: the only check that holds for root, read-only mounts and pseudo-filesystems. */
function probeWritable(dir: string, purpose: string): void {
  const probe = join(dir, `.prefloop-probe-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (err) {
    throw new Error(`cannot write in ${dir} for ${purpose}: ${why(err, dir)}`, { cause: err });
  }
  rmSync(probe, { force: true });
}

function why(err: unknown, parent: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return `permission denied in ${parent} (name a folder you can write)`;
    case 'EROFS':
      return `${parent} is on a read-only file system (name another folder)`;
    case 'ENOSPC':
      return `no space left in ${parent}`;
    case 'ENOENT':
      // The parent exists (checked above): a file system that takes no new entries, such as /proc.
      return `${parent} does not take new files or folders (a system folder such as /proc? name another folder)`;
    default:
      return (err as Error).message;
  }
}
