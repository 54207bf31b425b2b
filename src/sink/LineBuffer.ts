// Collects newline-terminated lines as UTF-8 bytes in one growing buffer (pure).
import type { RowSlab } from './rowSlab.js';

/**
 * Scratch buffers that finished LineBuffers gave back. Why reuse them: rows written piece by piece into a
 * freshly allocated multi-megabyte buffer cost ~10% more to encode than rows written into a reused one and
 * copied out whole at the end (paired runs over the same requests: 0.91x and 0.88x), since every first
 * touch of fresh memory is paid piece by piece. Bounded: a few buffers, none past SCRATCH_MAX_BYTES.
 */
const SCRATCH: Buffer[] = [];
const SCRATCH_BUFFERS = 4;
const SCRATCH_MAX_BYTES = 32 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);

/** A free scratch buffer of at least `size` bytes, or a new one. */
function takeScratch(size: number): Buffer {
  for (let i = SCRATCH.length - 1; i >= 0; i--) {
    if (SCRATCH[i]!.length >= size) return SCRATCH.splice(i, 1)[0]!;
  }
  return Buffer.allocUnsafe(size);
}

function giveScratch(buf: Buffer): void {
  if (buf.length > SCRATCH_MAX_BYTES || buf.length === 0) return;
  SCRATCH.push(buf);
  // Keep the largest: they fit the most requests without growing.
  if (SCRATCH.length > SCRATCH_BUFFERS) {
    SCRATCH.sort((a, b) => b.length - a.length);
    SCRATCH.length = SCRATCH_BUFFERS;
  }
}

/**
 * Lines written into one buffer as they are made. Why not a list of strings encoded at the end: a line built
 * from many pieces is a tree of string parts until it is written, and holding a whole request's trees until
 * the end gets them copied by the garbage collector; written at once they die young. Concatenating a batch
 * into one huge string before encoding it cost about twice as much too.
 */
export class LineBuffer {
  private buf: Buffer;
  private at = 0;
  private count = 0;
  /** Where the line being written starts (see abandonLine). */
  private lineStart = 0;
  /** The line's short pieces not yet written (see `append`). */
  private pending = '';

  /**
   * `expectedLines` and `bytesPerLine` size the buffer; it grows when the lines are longer. The buffer is a
   * scratch one taken from SCRATCH when one is free and big enough, and given back by `finish`.
   */
  constructor(
    private readonly expectedLines: number,
    bytesPerLine = 1024,
  ) {
    this.buf = takeScratch(Math.max(1024, expectedLines * bytesPerLine));
  }

  /** Lines pushed so far. */
  get lines(): number {
    return this.count;
  }

  /** Appends `line` and a newline. */
  push(line: string): void {
    // A whole line between the pieces of another would be written before them: a caller's mistake.
    if (this.pending !== '') throw new Error('LineBuffer.push while a line is being appended (call endLine)');
    this.write(line);
    this.buf[this.at++] = 0x0a;
    this.count += 1;
    this.lineStart = this.at;
  }

  /**
   * Adds `piece` to the line being written (ended by `endLine`). Short pieces are gathered into one string and
   * written together; call `appendLong` for long text.
   */
  append(piece: string): void {
    this.pending += piece;
  }

  /**
   * Adds long text to the line being written, straight into the buffer. Why: a line built as one string is a
   * tree of its pieces, and writing it first copies every piece into one flat string (in two bytes a
   * character if any piece needs them), which cost about twice the UTF-8 write itself; the long texts
   * (messages, output) are already flat, so writing them as they are skips that copy.
   */
  appendLong(text: string): void {
    if (this.pending !== '') {
      this.write(this.pending);
      this.pending = '';
    }
    this.write(text);
  }

  /**
   * Adds UTF-8 bytes made earlier (text that recurs from line to line, like remembered rubric results) to the
   * line being written, copied as they are: one copy instead of gathering the text into the line's string,
   * flattening that and encoding it again. The pieces gathered so far are written first, to keep the order.
   */
  appendBytes(bytes: Uint8Array): void {
    if (this.pending !== '') {
      this.write(this.pending);
      this.pending = '';
    }
    if (this.buf.length - this.at < bytes.length + 1) this.grow(bytes.length + 1);
    this.buf.set(bytes, this.at);
    this.at += bytes.length;
  }

  /** Ends the line being written with a newline. */
  endLine(): void {
    this.write(this.pending + '\n');
    this.pending = '';
    this.count += 1;
    this.lineStart = this.at;
  }

  /** Drops what was written of the line being written, as if it had never been started. */
  abandonLine(): void {
    this.at = this.lineStart;
    this.pending = '';
  }

  /**
   * The bytes written, copied out of the scratch buffer: into a buffer of their exact size, or, with `slab`,
   * into the slab's shared memory (for rows that are queued until stored or spooled, and then released to
   * it). The scratch buffer goes back for the next LineBuffer; this one must not be written to again.
   */
  finish(slab?: RowSlab): Buffer {
    const written = this.buf.subarray(0, this.at);
    const bytes = slab ? slab.copyOf(written) : Buffer.from(written);
    giveScratch(this.buf);
    this.buf = EMPTY;
    this.at = 0;
    this.lineStart = 0;
    return bytes;
  }

  /** Writes `text` as UTF-8 at the end, growing the buffer when it might not fit. */
  private write(text: string): void {
    const room = this.buf.length - this.at;
    // Exact byte length only when the worst case (3 bytes a character) might not fit; +1 for a newline.
    if (room < text.length * 3 + 1 && room < Buffer.byteLength(text) + 1) this.grow(text.length * 3 + 1);
    this.at += this.buf.write(text, this.at, 'utf8');
  }

  /** Room for `need` more bytes and, judging by the lines so far, for the lines still expected. */
  private grow(need: number): void {
    const perLine = this.count > 0 ? this.at / this.count : need;
    const expected =
      this.at + need + Math.ceil(perLine * Math.max(0, this.expectedLines - this.count - 1) * 1.125);
    const grown = Buffer.allocUnsafe(Math.max(expected, this.buf.length + (this.buf.length >> 1)));
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }
}
