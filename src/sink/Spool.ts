// On-disk spool of batches the store did not take: append-only segment files, replayed in order, deleted once acknowledged.
import { closeSync, mkdirSync, openSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeSegment, encodeRecordParts } from './spoolCodec.js';
import type { Batch } from './Batch.js';
import { DEFAULTS } from '../names.js';

export interface SpoolOptions {
  /** A segment is closed and a new one started past this size. Default 8 MiB. */
  segmentBytes?: number;
  /** Appends are refused past this total size (the caller keeps the data queued). Default 1 GiB. */
  maxBytes?: number;
}

export interface ReplayOutcome {
  /** Records handed to the handler and acknowledged by it. */
  replayed: number;
  /** True when the handler failed and replay stopped at that record (it stays spooled). */
  stopped: boolean;
  /** Corrupt tails met (each ends its segment). */
  corruptTails: number;
  corruptBytes: number;
}

const SEGMENT_RE = /^segment-(\d{12})\.spool$/;

export class Spool {
  private readonly segmentBytes: number;
  private readonly maxBytes: number;
  private nextSeq = 0;
  private active: { name: string; handle: FileHandle; size: number } | undefined;
  /** Records already acknowledged in a segment (lost on a crash: the dedup token makes a re-replay a no-op). */
  private readonly acked = new Map<string, number>();
  private totalBytes = 0;
  /** Serialises appends, rolls and deletes on the segment files. */
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    options: SpoolOptions = {},
  ) {
    this.segmentBytes = options.segmentBytes ?? 8 * 1024 * 1024;
    this.maxBytes = options.maxBytes ?? DEFAULTS.spoolBytes;
    prepareSpoolDir(dir);
    for (const name of this.segments()) {
      this.totalBytes += statSync(join(dir, name)).size;
      this.nextSeq = Math.max(this.nextSeq, Number(SEGMENT_RE.exec(name)![1]) + 1);
    }
  }

  /** Bytes on disk, including records already replayed in a segment not yet deleted. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** True when some segment may hold records not yet acknowledged. */
  get hasData(): boolean {
    return this.totalBytes > 0;
  }

  /** True when a record of `bytes` fits under maxBytes. */
  hasRoom(bytes: number): boolean {
    return this.totalBytes + bytes <= this.maxBytes;
  }

  /** Appends records and syncs them to disk; resolves only once they are durable. */
  append(records: Batch[]): Promise<void> {
    return this.locked(async () => {
      // Written as the batches' own buffers (writev): copying megabytes into one buffer cost more than the write.
      const parts = records.flatMap((r) => encodeRecordParts(r));
      let bytes = 0;
      for (const p of parts) bytes += p.length;
      if (!this.active || this.active.size >= this.segmentBytes) {
        await this.rollLocked();
        const name = `segment-${String(this.nextSeq++).padStart(12, '0')}.spool`;
        // A new segment after every restart: an old one may end in a torn record.
        this.active = { name, handle: await open(join(this.dir, name), 'a', 0o600), size: 0 };
      }
      const active = this.active;
      try {
        await writeAll(active.handle, parts, bytes);
        await active.handle.sync();
      } catch (err) {
        // Nothing of a failed append may stay: records written in full before the failure would replay while
        // the caller keeps them to append again (stored twice), and a torn one would hide whatever followed it
        // (replay stops there). So the segment is cut back to where this append began, and closed: the next
        // append starts a new one. If even the cut fails, what is on disk still counts.
        this.active = undefined;
        const cut = await cutBack(active.handle, active.size);
        await active.handle.close().catch(() => undefined);
        if (!cut) this.totalBytes += sizeOf(join(this.dir, active.name)) - active.size;
        throw err;
      }
      active.size += bytes;
      this.totalBytes += bytes;
    });
  }

  /**
   * Hands every unacknowledged record to `handler`, oldest first; a segment is deleted once all its records
   * were acknowledged. Stops at the first record the handler rejects (it is tried again next time).
   */
  async replay(
    handler: (r: Batch) => Promise<void>,
    onCorrupt?: (segment: string, bytes: number) => void,
  ): Promise<ReplayOutcome> {
    const outcome: ReplayOutcome = { replayed: 0, stopped: false, corruptTails: 0, corruptBytes: 0 };
    // Close the segment being written so replay only ever reads complete files.
    await this.locked(() => this.rollLocked());
    for (const name of this.segments()) {
      const path = join(this.dir, name);
      const { records, corruptBytes } = decodeSegment(await readFile(path));
      if (corruptBytes > 0 && !this.acked.has(name)) {
        outcome.corruptTails += 1;
        outcome.corruptBytes += corruptBytes;
        onCorrupt?.(name, corruptBytes);
      }
      let done = this.acked.get(name) ?? 0;
      this.acked.set(name, done);
      for (; done < records.length; done++) {
        try {
          await handler(records[done]!);
        } catch {
          outcome.stopped = true;
          return outcome;
        }
        this.acked.set(name, done + 1);
        outcome.replayed += 1;
      }
      await this.locked(async () => {
        const size = statSync(path).size;
        await rm(path, { force: true });
        this.totalBytes -= size;
        this.acked.delete(name);
      });
    }
    return outcome;
  }

  /** Closes the segment being written. */
  close(): Promise<void> {
    return this.locked(() => this.rollLocked());
  }

  private segments(): string[] {
    return readdirSync(this.dir)
      .filter((n) => SEGMENT_RE.test(n))
      .sort();
  }

  private async rollLocked(): Promise<void> {
    const active = this.active;
    this.active = undefined;
    if (active) await active.handle.close();
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }
}

/** writev until every byte is written (a partial write is possible, as with write). */
/**
 * Creates the spool folder owner-only (0700) when missing and checks it takes files, naming the problem in
 * one line: `/dev/null` (a file), `/proc/self` (takes no files), a folder without write permission.
 */
function prepareSpoolDir(dir: string): void {
  const refuse = `spool.directory ${dir} cannot hold the spool`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST' || code === 'ENOTDIR' ? 'it, or a folder on its path, is a file' : errText(err);
    throw new Error(`${refuse}: ${why} (name a folder; a missing one is created)`, { cause: err });
  }
  if (!statSync(dir).isDirectory())
    throw new Error(`${refuse}: it is not a folder (name a folder; a missing one is created)`);
  const probe = join(dir, `.prefloop-probe-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx', 0o600));
  } catch (err) {
    throw new Error(`${refuse}: it takes no new files (${errText(err)}); name a folder you can write`, {
      cause: err,
    });
  }
  rmSync(probe, { force: true });
}

function errText(err: unknown): string {
  return (err as Error).message;
}

async function writeAll(handle: FileHandle, parts: Buffer[], total: number): Promise<void> {
  let written = 0;
  let rest = parts;
  while (written < total) {
    // writev takes at most IOV_MAX (1024 on Linux) buffers per call.
    const { bytesWritten } = await handle.writev(rest.slice(0, 1024));
    if (bytesWritten === 0)
      throw new Error(`spool write made no progress after ${written} of ${total} bytes`);
    written += bytesWritten;
    rest = dropBytes(rest, bytesWritten);
  }
}

/** Truncates the file to `size` and syncs it; false when either fails. */
async function cutBack(handle: FileHandle, size: number): Promise<boolean> {
  try {
    await handle.truncate(size);
    await handle.sync();
    return true;
  } catch {
    return false;
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function dropBytes(parts: Buffer[], n: number): Buffer[] {
  let i = 0;
  while (i < parts.length && n >= parts[i]!.length) n -= parts[i++]!.length;
  const rest = parts.slice(i);
  if (n > 0) rest[0] = rest[0]!.subarray(n);
  return rest;
}
