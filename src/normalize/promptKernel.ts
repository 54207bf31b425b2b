// The prompt hash's bytes written by a small WebAssembly kernel (promptKernel.wat) over each message's UTF-8.
import { growKernelMemory, instantiateKernel, type KernelMemory } from '../wasmModule.js';
import { PROMPT_KERNEL_WASM } from './promptKernel.wasm.js';
import type { ChatMessage } from '../records/types.js';

/**
 * Why WebAssembly: the portable writer (promptBytes.ts) reads every character with charCodeAt and stores
 * every byte through a typed array, ~48 instructions a character in this V8, and it was the largest single
 * entry of the hot path's profile (5.6% of its instructions). Here each content is written as UTF-8 by the
 * engine's own encoder and the kernel escapes and collapses the bytes, eight at a time where they are plain:
 * 2.2 µs against 8.4 µs a prompt over the 2,312 HH-RLHF prompts (599 characters on average), timed in turns.
 */
interface Kernel {
  memory: KernelMemory;
  /** The end of what it wrote × 2, + 1 when the text needs no JSON escape; -1 for the portable writer. */
  collapse(input: number, length: number, out: number): number;
}

const kernel = instantiateKernel<Kernel>(PROMPT_KERNEL_WASM);

/** The kernel's memory as a Buffer; made again whenever the memory grows (growing detaches the old one). */
let memory = kernel ? Buffer.from(kernel.memory.buffer) : Buffer.alloc(0);

/**
 * Prompts with more characters than this (roles and contents) go to the portable writer: the kernel's
 * memory never shrinks and takes up to 18 bytes a character (a control character is 6 bytes escaped, from
 * up to 3 bytes of UTF-8), so this bounds it to ~1.3 MB.
 */
const MAX_CHARS = 64 * 1024;

/** `JSON.stringify(role.trim().toLowerCase())` as UTF-8, by role: a few roles recur on every span. */
const roleJson = new Map<string, Buffer>();
const ROLES_KEPT = 64;

function roleBytes(role: string): Buffer {
  let bytes = roleJson.get(role);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(role.trim().toLowerCase()));
    if (roleJson.size < ROLES_KEPT) roleJson.set(role, bytes);
  }
  return bytes;
}

/**
 * `promptJsonBytes(messages, verbatim)` through the kernel, as a view of its memory valid until the next
 * call; undefined (and `verbatim` as it was) when the prompt needs the portable writer: no WebAssembly, a
 * prompt over MAX_CHARS, or a content with Unicode whitespace, U+FFFD or a lone surrogate (which UTF-8
 * turns into U+FFFD, where JSON escapes it).
 */
export function kernelPromptJson(messages: readonly ChatMessage[], verbatim?: string[]): Buffer | undefined {
  if (kernel === undefined) return undefined;
  let chars = 0;
  let longest = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    chars += m.role.length + m.content.length;
    if (m.content.length > longest) longest = m.content.length;
  }
  if (chars > MAX_CHARS) return undefined;
  // Output first (per message at most 8 bytes of brackets, commas and quotes), then one content's UTF-8,
  // with the 2 bytes the kernel may read past its end.
  const input = 18 * chars + 8 * messages.length + 2;
  const need = input + 3 * longest + 2;
  if (need > memory.length) {
    growKernelMemory(kernel.memory, need);
    memory = Buffer.from(kernel.memory.buffer);
  }
  const mem = memory;
  const kept = verbatim?.length ?? 0;
  let p = 0;
  mem[p++] = 0x5b; // [
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (i > 0) mem[p++] = 0x2c; // ,
    mem[p++] = 0x5b;
    const role = roleBytes(m.role);
    mem.set(role, p);
    p += role.length;
    mem[p++] = 0x2c;
    mem[p++] = 0x22; // "
    const written = kernel.collapse(input, mem.write(m.content, input, 'utf8'), p);
    if (written < 0) {
      if (verbatim) verbatim.length = kept;
      return undefined;
    }
    p = written >>> 1;
    if (verbatim && (written & 1) === 1) verbatim.push(m.content);
    mem[p++] = 0x22;
    mem[p++] = 0x5d; // ]
  }
  mem[p++] = 0x5d;
  return mem.subarray(0, p);
}
