// JSON.parse with the work bounded first: one byte scan refuses nesting and container counts whose parse would
// cost far more memory and time than the body's size (19 MiB of `[[[…]]]` took 1.7 GB and 9 s in JSON.parse).
import { MAX_MESSAGE_DEPTH } from './decodeProtobuf.js';

/** Deepest JSON nesting read: a message and its repeated field per protobuf level, and a margin. */
export const MAX_JSON_DEPTH = 2 * MAX_MESSAGE_DEPTH + 8;

/**
 * Most objects and arrays per body byte. A real OTLP attribute (`{"key":"","value":{}}`) is 2 containers in 21
 * bytes; `{},` repeated is 1 in 3 and costs ~20 times its bytes once parsed. One in 8 keeps a parse within a
 * few times the body.
 */
const BYTES_PER_CONTAINER = 8;
const FREE_CONTAINERS = 1024;

/** A body whose parse would cost too much; the receiver answers it 400 (not retryable). */
export class JsonShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonShapeError';
  }
}

/** Throws JsonShapeError when `body` nests deeper than MAX_JSON_DEPTH or holds too many objects and arrays. */
export function checkJsonShape(body: Uint8Array): void {
  const maxContainers = FREE_CONTAINERS + Math.floor(body.length / BYTES_PER_CONTAINER);
  let depth = 0;
  let containers = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      containers += 1;
      if (depth > MAX_JSON_DEPTH)
        throw new JsonShapeError(`JSON nests deeper than ${MAX_JSON_DEPTH} levels (at byte ${i})`);
      if (containers > maxContainers)
        throw new JsonShapeError(
          `JSON holds more than ${maxContainers} objects and arrays for its ${body.length} bytes`,
        );
    } else if (c === 0x7d || c === 0x5d) {
      depth -= 1;
    }
  }
}

/** JSON.parse of a UTF-8 body after checkJsonShape. */
export function parseBoundedJson(body: Uint8Array): unknown {
  checkJsonShape(body);
  return JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.length).toString('utf8'));
}
