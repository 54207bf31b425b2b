// Agreement of one preference signal with human choices: agree / disagree / cannot separate, with a Wilson CI.
import { wilsonInterval } from './wilson.js';

export type Outcome = 'agree' | 'disagree' | 'tie';

/** Which way two scores point relative to the human's choice; within the noise floor is a tie. */
export function outcomeOf(
  chosen: number,
  rejected: number,
  higherIsBetter: boolean,
  noiseFloor: number,
): Outcome {
  const gap = higherIsBetter ? chosen - rejected : rejected - chosen;
  if (Math.abs(gap) <= noiseFloor) return 'tie';
  return gap > 0 ? 'agree' : 'disagree';
}

/** One row of the calibration report. */
export interface CalibrationRow {
  rubricId: string;
  version: string;
  /**
   * CODE and LLM are rubrics; COMBINED is the weighted score rubric pairs are made from; BASELINE is a
   * reference signal such as "shorter wins".
   */
  kind: 'CODE' | 'LLM' | 'COMBINED' | 'BASELINE';
  /** Pairs where both replies got a score. */
  scored: number;
  agree: number;
  disagree: number;
  /** Pairs whose gap is within the noise floor (or a judge tie). */
  ties: number;
  /** Pairs that could not be scored (evaluator not applicable, judge error). */
  unscored: number;
  /** agree / (agree + disagree). */
  agreementSeparable: number;
  /** (agree + ties / 2) / scored: ties count as a coin flip. */
  agreementOverall: number;
  /** (agree + disagree) / scored. */
  separableShare: number;
  /** 95% Wilson interval of agreementSeparable. */
  ci95: [number, number];
  /** Extra facts (judge order flips, errors). */
  notes: string;
}

export class Tally {
  agree = 0;
  disagree = 0;
  ties = 0;
  unscored = 0;
  notes: string[] = [];

  add(o: Outcome | null): void {
    if (o === null) this.unscored++;
    else if (o === 'agree') this.agree++;
    else if (o === 'disagree') this.disagree++;
    else this.ties++;
  }

  row(rubricId: string, version: string, kind: CalibrationRow['kind']): CalibrationRow {
    const separable = this.agree + this.disagree;
    const scored = separable + this.ties;
    return {
      rubricId,
      version,
      kind,
      scored,
      agree: this.agree,
      disagree: this.disagree,
      ties: this.ties,
      unscored: this.unscored,
      agreementSeparable: separable === 0 ? 0 : this.agree / separable,
      agreementOverall: scored === 0 ? 0 : (this.agree + this.ties / 2) / scored,
      separableShare: scored === 0 ? 0 : separable / scored,
      ci95: wilsonInterval(this.agree, separable),
      notes: this.notes.join('; '),
    };
  }
}
