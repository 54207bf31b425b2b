// Instantiates the small hand-written WebAssembly kernels of the hot path (src/**/*.wat, assembled by
// `npm run build:wasm` into the base64 of <name>.wasm.ts).

/** The part of the WebAssembly API used here (the project's types have no DOM library, which declares it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

/** A kernel's exports, or undefined where Node has no WebAssembly (`node --jitless`): callers then take their TypeScript path. */
export function instantiateKernel<T>(base64: string): T | undefined {
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (api === undefined) return undefined;
  return new api.Instance(new api.Module(Buffer.from(base64, 'base64'))).exports as T;
}

/** A kernel's exported memory: it only grows, and growing detaches views of its old buffer. */
export interface KernelMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** Grows `memory` to at least `bytes` (in whole 64 KiB pages); callers make their views again after. */
export function growKernelMemory(memory: KernelMemory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / 65536));
}
