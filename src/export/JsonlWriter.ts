// Writes JSON lines to a file with backpressure, under a temporary name until it completes.
import { renameSync, rmSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createExclusiveStream, partialPath } from './exclusiveFile.js';

export class JsonlWriter {
  private readonly stream: WriteStream;
  private readonly partial: string;
  private failed: Error | undefined;
  /** Records written so far. */
  count = 0;

  constructor(readonly path: string) {
    this.partial = partialPath(path);
    this.stream = createExclusiveStream(path);
    this.stream.on('error', (err) => {
      this.failed = err;
    });
  }

  /** Appends one record; waits for the disk when the stream's buffer is full (constant memory). */
  async write(record: unknown): Promise<void> {
    if (this.failed) throw this.error(this.failed);
    this.count += 1;
    if (!this.stream.write(JSON.stringify(record) + '\n')) {
      try {
        await once(this.stream, 'drain');
      } catch (err) {
        throw this.error(err as Error);
      }
    }
  }

  /** Flushes and moves the file to its final name. */
  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    if (this.failed) throw this.error(this.failed);
    renameSync(this.partial, this.path);
  }

  /** Stops writing and removes the unfinished file (after a failure elsewhere). */
  abort(): void {
    this.stream.destroy();
    rmSync(this.partial, { force: true });
  }

  private error(err: Error): Error {
    return new Error(`cannot write ${this.path}: ${err.message} (check the folder exists and has space)`, {
      cause: err,
    });
  }
}
