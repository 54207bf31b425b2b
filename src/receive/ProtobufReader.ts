// Bounds-checked cursor over protobuf bytes: tags, varints, fixed64 as bigint, strings, hex ids, skipping.
import { OtlpDecodeError } from './DecodeResult.js';

/** Protobuf wire types. */
export const WIRE = { varint: 0, i64: 1, len: 2, startGroup: 3, endGroup: 4, i32: 5 } as const;

/** Deepest group nesting skipped in an unknown field (protoc's default recursion limit). */
const MAX_GROUP_DEPTH = 100;

/** Longest id rendered in full: ids are 16 or 8 bytes, anything much longer is garbage. */
const MAX_ID_BYTES = 64;

/**
 * Node's native UTF-8 and hex slices: what Buffer#toString calls after its argument checks
 * (protobufjs reads strings with utf8Slice too). Measured: hexSlice renders an id ~2.5x faster than
 * concatenating two-digit strings from a byte→hex table, and in one allocation instead of 24.
 */
type SlicingBuffer = Buffer & {
  utf8Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
};
const NATIVE_SLICES =
  typeof (Buffer.prototype as Partial<SlicingBuffer>).utf8Slice === 'function' &&
  typeof (Buffer.prototype as Partial<SlicingBuffer>).hexSlice === 'function';

/** Attribute keys repeat across spans: up to this many recent ones (of at most 64 bytes) are kept, decoded. */
const KEY_CACHE_SLOTS = 1024;
const KEY_CACHE_MAX_BYTES = 64;

/** A remembered attribute key: its bytes and the text they decode to. */
interface CachedKey {
  /** The bytes, compared four at a time (see keyWords); for fewer than four, one word a byte. */
  readonly words: Int32Array;
  readonly length: number;
  readonly text: string;
  /** For a key, the key that followed it last time: spans of one service repeat their key sequence. */
  next: CachedKey | undefined;
}
const keyCache: Array<CachedKey | undefined> = new Array<CachedKey | undefined>(KEY_CACHE_SLOTS);

/**
 * The bytes of `[start, start + len)` as little-endian int32 words at 0, 4, 8, …, the last one ending at the
 * key's end (overlapping the one before when the length is not a multiple of four); a key shorter than four
 * keeps one word a byte. Why: a key is compared on nearly every read (with the guess, then the slot), and a
 * byte loop costs ~24 instructions a byte here against ~30 a four-byte word through a DataView.
 */
function keyWords(view: DataView, buf: Buffer, start: number, len: number): Int32Array {
  if (len < 4) return Int32Array.from(buf.subarray(start, start + len));
  const n = (len + 3) >> 2;
  const words = new Int32Array(n);
  for (let k = 0; k < n - 1; k++) words[k] = view.getInt32(start + 4 * k, true);
  words[n - 1] = view.getInt32(start + len - 4, true);
  return words;
}

/** Whether `[start, start + len)` holds the bytes `key` was made from. */
function sameKey(key: CachedKey, view: DataView, buf: Buffer, start: number, len: number): boolean {
  if (key.length !== len) return false;
  const words = key.words;
  if (len < 4) {
    for (let i = 0; i < len; i++) if (words[i] !== buf[start + i]) return false;
    return true;
  }
  const last = words.length - 1;
  for (let k = 0; k < last; k++) if (words[k] !== view.getInt32(start + 4 * k, true)) return false;
  return words[last] === view.getInt32(start + len - 4, true);
}

/**
 * A hash of the bytes in `[start, start + len)`, taken a word at a time as keyWords reads them (murmur3's
 * mixing: a key differs from its neighbours in one byte, often in a word's high byte, which a plain
 * multiply would leave out of a slot's low bits).
 */
function keyHash(view: DataView, buf: Buffer, start: number, len: number): number {
  let h = len;
  if (len < 4) {
    for (let i = start; i < start + len; i++) h = mix(h, buf[i]!);
  } else {
    const n = (len + 3) >> 2;
    for (let k = 0; k < n - 1; k++) h = mix(h, view.getInt32(start + 4 * k, true));
    h = mix(h, view.getInt32(start + len - 4, true));
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}

function mix(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * Reads one message tree. Every read checks against `limit`, the end of the message being read
 * (set by enter/leave), so truncated or lying lengths fail with an OtlpDecodeError and the cursor
 * never leaves the enclosing message. Strings are decoded as Buffer's UTF-8 does, which replaces
 * invalid sequences with U+FFFD exactly as `new TextDecoder('utf-8', { fatal: false })` does (the
 * WHATWG rule; protobufjs reads Buffers the same way) but is about twice as fast on short strings.
 */
export class ProtobufReader {
  /** Offset of the next byte to read. */
  pos = 0;
  /** End (exclusive) of the message being read. */
  limit: number;
  private readonly buf: Buffer;
  /** The same bytes, for reading four at a time (see keyWords). */
  private readonly view: DataView;
  /** The attribute key read last, for key()'s guess of the next one. */
  private lastKey: CachedKey | undefined;
  /** Keys key() read that were not among the recent ones it keeps (new, evicted, or too long to keep). */
  keyMisses = 0;

  constructor(bytes: Uint8Array) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.limit = this.buf.length;
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** True while the current message has bytes left. */
  more(): boolean {
    return this.pos < this.limit;
  }

  /** A field tag (field number << 3 | wire type); field number 0 does not exist. */
  tag(): number {
    const at = this.pos;
    const tag = this.varint32();
    if (tag >>> 3 === 0) throw this.error(`field number 0 in tag ${tag}`, at);
    return tag;
  }

  /** A varint's low 32 bits, unsigned (uint32; `| 0` gives int32 and enum values). */
  varint32(): number {
    let b = this.byte();
    if (b < 0x80) return b;
    let v = b & 0x7f;
    b = this.byte();
    v |= (b & 0x7f) << 7;
    if (b < 0x80) return v;
    b = this.byte();
    v |= (b & 0x7f) << 14;
    if (b < 0x80) return v;
    b = this.byte();
    v |= (b & 0x7f) << 21;
    if (b < 0x80) return v;
    b = this.byte();
    v = (v | (b << 28)) >>> 0;
    if (b < 0x80) return v;
    // Bits past 32 are dropped, as protobuf does for int32 fields sent as 10-byte negative varints.
    for (let i = 0; i < 5; i++) if (this.byte() < 0x80) return v;
    throw this.error('varint longer than 10 bytes', this.pos - 10);
  }

  /** A varint's truth value: any set bit is true (bool). */
  bool(): boolean {
    let any = 0;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      any |= b & 0x7f;
      if (b < 0x80) return any !== 0;
    }
    throw this.error('varint longer than 10 bytes', this.pos - 10);
  }

  /** A two's-complement int64 varint, exact. */
  int64(): bigint {
    let lo = 0;
    let b = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      b = this.byte();
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) return BigInt(lo); // Below 2^28: the common small, non-negative value.
    }
    b = this.byte();
    lo |= (b & 0x7f) << 28;
    let hi = (b & 0x7f) >> 4;
    if (b >= 0x80) {
      for (let shift = 3; ; shift += 7) {
        if (shift > 31) throw this.error('varint longer than 10 bytes', this.pos - 10);
        b = this.byte();
        hi |= (b & 0x7f) << shift;
        if (b < 0x80) break;
      }
    }
    return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
  }

  /** A fixed64 as an exact unsigned bigint. */
  fixed64(): bigint {
    const p = this.need(8);
    const buf = this.buf;
    const lo = (buf[p]! | (buf[p + 1]! << 8) | (buf[p + 2]! << 16)) + buf[p + 3]! * 0x1000000;
    const hi = (buf[p + 4]! | (buf[p + 5]! << 8) | (buf[p + 6]! << 16)) + buf[p + 7]! * 0x1000000;
    return hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** A little-endian IEEE 754 double. */
  double(): number {
    return this.buf.readDoubleLE(this.need(8));
  }

  /** A length-delimited UTF-8 string (invalid sequences become U+FFFD). */
  string(): string {
    const len = this.length();
    if (len === 0) return '';
    const start = this.pos;
    this.pos = start + len;
    return this.utf8(start, start + len);
  }

  /**
   * A length-delimited string that is likely to repeat (an attribute key): served from a small cache
   * of recent keys when its bytes match one, else decoded like string() and remembered.
   */
  key(): string {
    const len = this.length();
    if (len === 0) return '';
    const start = this.pos;
    const end = start + len;
    this.pos = end;
    const buf = this.buf;
    const view = this.view;
    if (len > KEY_CACHE_MAX_BYTES) {
      this.keyMisses++;
      return this.utf8(start, end);
    }
    const previous = this.lastKey;
    // First guess: what followed the previous key last time (one comparison, no hashing).
    const guess = previous?.next;
    if (guess !== undefined && sameKey(guess, view, buf, start, len)) {
      this.lastKey = guess;
      return guess.text;
    }
    const slot = keyHash(view, buf, start, len) & (KEY_CACHE_SLOTS - 1);
    let entry = keyCache[slot];
    if (entry === undefined || !sameKey(entry, view, buf, start, len)) {
      // Unlinked when evicted, so successor links can never chain up an unbounded number of keys.
      if (entry !== undefined) entry.next = undefined;
      this.keyMisses++;
      // Copied into words: a view would keep the whole request body alive while the key stays cached.
      const words = keyWords(view, buf, start, len);
      entry = { words, length: len, text: this.utf8(start, end), next: undefined };
      keyCache[slot] = entry;
    }
    if (previous !== undefined) previous.next = entry;
    this.lastKey = entry;
    return entry.text;
  }

  /** Length-delimited bytes, copied (a view would keep the whole request body alive). */
  bytes(): Uint8Array {
    const len = this.length();
    const out = new Uint8Array(len);
    out.set(this.buf.subarray(this.pos, this.pos + len));
    this.pos += len;
    return out;
  }

  /**
   * Length-delimited bytes as lower-case hex (trace and span ids); '' when empty. Past
   * MAX_ID_BYTES only the start is rendered, marked with '…': such an id is invalid anyway, and
   * a megabyte "id" must not become a two-megabyte string in the rejection message.
   */
  hex(): string {
    const len = this.length();
    const buf = this.buf;
    const start = this.pos;
    this.pos += len;
    if (len > MAX_ID_BYTES) return buf.toString('hex', start, start + MAX_ID_BYTES) + '…';
    if (len === 0) return '';
    return NATIVE_SLICES
      ? (buf as SlicingBuffer).hexSlice(start, start + len)
      : buf.toString('hex', start, start + len);
  }

  /** Starts reading an embedded message; returns the outer limit, to be handed back to leave(). */
  enter(): number {
    const len = this.length();
    const outer = this.limit;
    this.limit = this.pos + len;
    return outer;
  }

  /** Ends an embedded message: every read stayed inside it, so the cursor is exactly at its end. */
  leave(outer: number): void {
    this.limit = outer;
  }

  /** Skips one field's value of the given wire type (unknown fields, e.g. from newer OTLP versions). */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE.varint:
        this.bool();
        return;
      case WIRE.i64:
        this.need(8);
        return;
      case WIRE.len: {
        const len = this.length(); // Before reading pos: length() moves it past the prefix.
        this.pos += len;
        return;
      }
      case WIRE.i32:
        this.need(4);
        return;
      case WIRE.startGroup:
        this.skipGroup();
        return;
      case WIRE.endGroup:
        throw this.error('end-group tag without a start-group', this.pos - 1);
      default:
        throw this.error(`invalid wire type ${wireType}`, this.pos - 1);
    }
  }

  /** An OtlpDecodeError naming the offset, for callers' own checks (e.g. nesting depth). */
  error(what: string, at = this.pos): OtlpDecodeError {
    return new OtlpDecodeError(`${what} at byte ${at} of ${this.buf.length}`);
  }

  private utf8(start: number, end: number): string {
    return NATIVE_SLICES
      ? (this.buf as SlicingBuffer).utf8Slice(start, end)
      : this.buf.toString('utf8', start, end);
  }

  /** Deprecated groups: skipped tag by tag until the matching end-group, nesting bounded. */
  private skipGroup(): void {
    let depth = 1;
    while (depth > 0) {
      const wire = this.tag() & 7;
      if (wire === WIRE.startGroup) {
        if (++depth > MAX_GROUP_DEPTH) throw this.error(`groups nested deeper than ${MAX_GROUP_DEPTH}`);
      } else if (wire === WIRE.endGroup) depth--;
      else this.skip(wire);
    }
  }

  /** A length prefix, checked against what is left of the current message. */
  private length(): number {
    const at = this.pos;
    let b = this.byte();
    let len = b & 0x7f;
    // A running multiplier, not `2 ** shift`: V8 compiles a variable power to a call into pow().
    for (let scale = 0x80; b >= 0x80; scale *= 0x80) {
      // 5 bytes hold every length a 32-bit size allows; more is garbage, not a huge field.
      if (scale > 0x10000000) throw this.error('length prefix longer than 5 bytes', at);
      b = this.byte();
      len += (b & 0x7f) * scale;
    }
    if (len > this.limit - this.pos)
      throw this.error(
        `length ${len} runs past the end of its message (${this.limit - this.pos} bytes left)`,
        at,
      );
    return len;
  }

  /** Reserves n bytes; returns their offset. */
  private need(n: number): number {
    const p = this.pos;
    if (n > this.limit - p) throw this.error(`truncated: ${n} bytes needed, ${this.limit - p} left`, p);
    this.pos = p + n;
    return p;
  }

  private byte(): number {
    if (this.pos >= this.limit) throw this.error('truncated varint', this.pos);
    return this.buf[this.pos++]!;
  }
}
