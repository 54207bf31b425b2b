// Which synthetic judge pairs (`prefloop synth`) an export takes: none by default, all when asked, or as a set
// share of the exported pairs. Pure; the share's pairs are held until the production pairs are counted.

export interface SyntheticChoice {
  /** Take synthetic pairs at all (--include-synthetic). */
  include?: boolean;
  /** Take at most this share of the exported pairs as synthetic ones (0 to 1; implies include). */
  share?: number;
}

/** Checks a share; the message names the option. */
export function checkSyntheticShare(share: number | undefined): void {
  if (share !== undefined && !(Number.isFinite(share) && share >= 0 && share <= 1))
    throw new Error(`syntheticShare must be a fraction from 0 to 1 (e.g. 0.2 for 20%), got ${share}`);
}

export class SyntheticMix<Row> {
  private readonly held: Row[] = [];
  leftOut = 0;
  included = 0;

  constructor(private readonly choice: SyntheticChoice) {
    checkSyntheticShare(choice.share);
  }

  /** 'write' to export it now, 'held' when a share decides later, 'skip' when synthetic pairs are not asked for. */
  offer(row: Row): 'write' | 'held' | 'skip' {
    if (this.choice.share !== undefined && this.choice.share < 1) {
      this.held.push(row);
      return 'held';
    }
    if (this.choice.include || this.choice.share === 1) {
      this.included++;
      return 'write';
    }
    this.leftOut++;
    return 'skip';
  }

  /**
   * The held pairs to export once `production` other pairs were: as many as keep the synthetic share at or
   * under the asked one, the first in export order (pair id order: deterministic, unrelated to content).
   */
  release(production: number): Row[] {
    const share = this.choice.share;
    if (share === undefined || share >= 1) return [];
    const n = Math.min(this.held.length, Math.floor((share * production) / (1 - share) + 1e-9));
    this.included += n;
    this.leftOut += this.held.length - n;
    return this.held.splice(0, this.held.length).slice(0, n);
  }
}
