// A hold-out is never silently empty: with two or more prompts, the prompt nearest the split goes to it.
import { createReadStream, renameSync } from 'node:fs';
import { createExclusiveStream, partialPath, writeFileReplacing } from './exclusiveFile.js';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/**
 * Watches the train side of an export as it is written and remembers the prompt with the lowest split
 * bucket (the one nearest to being held out) with the train lines it owns. Constant memory apart from
 * that one prompt's line numbers.
 */
export class HoldoutFloor {
  private firstPrompt: string | undefined;
  private multiple = false;
  private best: { bucket: number; promptHash: string; lines: Array<[number, string]> } | undefined;

  /** Notes one record written to the train file at `line` (0-based); `key` is what the manifest counts it under. */
  seeTrain(promptHash: string, bucket: number, line: number, key: string): void {
    this.seePrompt(promptHash);
    const b = this.best;
    if (b && b.promptHash === promptHash) {
      b.lines.push([line, key]);
    } else if (!b || bucket < b.bucket || (bucket === b.bucket && promptHash < b.promptHash)) {
      this.best = { bucket, promptHash, lines: [[line, key]] };
    }
  }

  /** Notes a prompt that went to the hold-out file. */
  seePrompt(promptHash: string): void {
    if (this.firstPrompt === undefined) this.firstPrompt = promptHash;
    else if (promptHash !== this.firstPrompt) this.multiple = true;
  }

  /** The prompt to move when the hold-out came out empty although there are two or more prompts. */
  candidate(
    holdoutRecords: number,
    fraction: number,
  ): { promptHash: string; lines: Array<[number, string]> } | null {
    if (holdoutRecords > 0 || fraction <= 0 || !this.multiple || !this.best) return null;
    return { promptHash: this.best.promptHash, lines: this.best.lines };
  }
}

/** Moves the given lines (0-based, ascending) of a finished train file into the (empty) hold-out file. */
export async function moveLines(
  trainPath: string,
  holdoutPath: string,
  lines: readonly number[],
): Promise<void> {
  const move = new Set(lines);
  const partial = partialPath(trainPath);
  const train = createExclusiveStream(trainPath);
  const held: string[] = [];
  let i = 0;
  for await (const line of createInterface({ input: createReadStream(trainPath), crlfDelay: Infinity })) {
    if (move.has(i)) held.push(line);
    else if (!train.write(line + '\n')) await once(train, 'drain');
    i++;
  }
  await new Promise<void>((resolve, reject) =>
    train.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  renameSync(partial, trainPath);
  writeFileReplacing(holdoutPath, held.map((l) => l + '\n').join(''));
}
