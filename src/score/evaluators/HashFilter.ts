// A one-hash Bloom filter over token hashes: rules most words out before an exact lookup reads them.

/**
 * A set of hashes that may answer yes wrongly but never no wrongly (one bit per hash, a Bloom filter with a
 * single function): a test on a Word's hash that saves most exact lookups, which would read the word's
 * strings, wherever few words can match.
 */
export class HashFilter {
  private readonly bits: Int32Array;
  private readonly mask: number;

  /** 2^log2Bits bits; keep it well above the number of hashes added (a few per cent false yes). */
  constructor(log2Bits: number) {
    this.bits = new Int32Array(1 << (log2Bits - 5));
    this.mask = this.bits.length - 1;
  }

  add(hash: number): void {
    this.bits[(hash >>> 5) & this.mask]! |= 1 << (hash & 31);
  }

  mayHave(hash: number): boolean {
    return (this.bits[(hash >>> 5) & this.mask]! & (1 << (hash & 31))) !== 0;
  }

  clear(): void {
    this.bits.fill(0);
  }
}
