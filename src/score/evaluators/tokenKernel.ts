// The tokenizer's WebAssembly kernel (tokenKernel.wat): scanPlain's character loop over UTF-16 code units.
import { growKernelMemory, instantiateKernel, type KernelMemory } from '../../wasmModule.js';
import { ASCII_BITS, DIGITS_SHIFT, KEY_CODE, MAX_DIGIT_COUNT } from './charClasses.js';
import { scanPlain } from './scanPlain.js';
import { TOKEN_KERNEL_WASM } from './tokenKernel.wasm.js';
import { intern, type Word } from './vocabulary.js';

/**
 * The tokenizer's kernel (tokenKernel.wat): scanPlain's character loop as WebAssembly, over the text's UTF-16
 * code units. Why: a JavaScript loop over a string's characters costs ~70 instructions a character in this
 * V8 (charCodeAt, typed-array reads, the hash and key arithmetic), and tokenising was the largest entry of
 * the hot path's instruction profile. Words are still interned here, from the boundaries, hashes and keys
 * the kernel writes.
 */
interface TokenKernel {
  memory: KernelMemory;
  scan(input: number, units: number, out: number): number;
}

const tokenKernel = instantiateKernel<TokenKernel>(TOKEN_KERNEL_WASM);
/** Views of the kernel's memory, made again when it grows (growing detaches the old ones). */
let kernelBytes: Buffer = Buffer.alloc(0);
let kernelInts = new Int32Array(0);
let kernelFloats = new Float64Array(0);

function viewKernelMemory(kernel: TokenKernel): void {
  kernelBytes = Buffer.from(kernel.memory.buffer);
  kernelInts = new Int32Array(kernel.memory.buffer);
  kernelFloats = new Float64Array(kernel.memory.buffer);
}

if (tokenKernel) {
  viewKernelMemory(tokenKernel);
  // The kernel reads the same tables: ASCII_BITS at 0, KEY_CODE at 128.
  kernelBytes.set(ASCII_BITS, 0);
  kernelBytes.set(KEY_CODE, 128);
}

/** Where the kernel leaves the CHARS bits it saw and the digits it counted (as i32s, past the tables). */
const KERNEL_SEEN = 256;
const KERNEL_DIGITS = 260;
/** Where a text's code units go in the kernel's memory. */
const KERNEL_INPUT = 264;
/**
 * Longer texts take scanPlain: the kernel's memory never shrinks, and it takes ~26 bytes a code unit (two for
 * the unit, 24 for a token record, at most one token a unit), so this bounds it to ~1.7 MB.
 */
const KERNEL_MAX_UNITS = 64 * 1024;
/** Bytes of one token record: start, end, hash (i32 each), 4 unused, key (f64). */
const TOKEN_RECORD = 24;

/** scanPlain, through the kernel where there is one and the text is not too long. */
export function kernelScan(s: string, out: Word[], starts: number[] | null): number {
  const kernel = tokenKernel;
  const n = s.length;
  if (kernel === undefined || n > KERNEL_MAX_UNITS) return scanPlain(s, out, starts);
  // The records after the units (and the unit the kernel reads past them), 8-byte aligned for the f64 keys.
  const records = (KERNEL_INPUT + 2 * n + 4 + 7) & ~7;
  const need = records + TOKEN_RECORD * (n + 1);
  if (need > kernelBytes.length) {
    growKernelMemory(kernel.memory, need);
    viewKernelMemory(kernel);
  }
  kernelBytes.write(s, KERNEL_INPUT, 'utf16le');
  const count = kernel.scan(KERNEL_INPUT, n, records);
  if (count < 0) return -1;
  const ints = kernelInts;
  const floats = kernelFloats;
  for (let t = 0, r = records >> 2; t < count; t++, r += TOKEN_RECORD >> 2) {
    const start = ints[r]!;
    out.push(intern(s, start, ints[r + 1]!, ints[r + 2]!, floats[(r >> 1) + 2]!));
    starts?.push(start);
  }
  return ints[KERNEL_SEEN >> 2]! + Math.min(ints[KERNEL_DIGITS >> 2]!, MAX_DIGIT_COUNT) * (1 << DIGITS_SHIFT);
}
