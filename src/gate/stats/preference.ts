// Held-out preference accuracy: the DPO implicit reward's ordering of hold-out pairs, or a judge's win rate. Pure.

/** Log-probabilities of one hold-out pair's two answers under the candidate and the reference (baseline). */
export interface PairLogprobs {
  candidateChosen: number;
  candidateRejected: number;
  referenceChosen: number;
  referenceRejected: number;
}

export interface PreferenceAccuracy {
  method: 'implicit_reward' | 'judge_win_rate';
  /** Share correct (implicit reward) or won, ties counting half (judge). */
  accuracy: number;
  n: number;
  /** Pairs ordered right / prompts the candidate won. */
  correct: number;
  ties: number;
  /** Implicit reward: hold-out pairs left out because an endpoint gave no log-probability for one answer. */
  unmeasured?: number;
  /** Judge: answers that named no winner, each counted as that order's tie (shown, never silently dropped). */
  unreadable?: number;
}

/**
 * DPO implicit reward: r(y) = β·(log π(y|x) − log π_ref(y|x)); a pair is ordered right when r(chosen) > r(rejected).
 * β > 0 scales both sides, so only the sign of the log-ratio margin matters and no β is needed. A margin of
 * exactly 0 (candidate = reference) is a tie and counts as wrong: an untuned model must not score above chance.
 */
export function implicitRewardAccuracy(pairs: readonly PairLogprobs[]): PreferenceAccuracy {
  let correct = 0;
  let ties = 0;
  for (const p of pairs) {
    const margin = p.candidateChosen - p.referenceChosen - (p.candidateRejected - p.referenceRejected);
    if (margin > 0) correct++;
    else if (margin === 0) ties++;
  }
  return {
    method: 'implicit_reward',
    accuracy: pairs.length === 0 ? NaN : correct / pairs.length,
    n: pairs.length,
    correct,
    ties,
  };
}

/** One prompt judged twice: which answer won with the candidate shown first, and with it shown second. */
export interface JudgedPrompt {
  candidateFirst: 'candidate' | 'baseline' | 'tie';
  candidateSecond: 'candidate' | 'baseline' | 'tie';
}

/** The outcome of a prompt judged in both orders: a verdict that flips with the order is a tie. */
export function bothOrders(j: JudgedPrompt): 'candidate' | 'baseline' | 'tie' {
  return j.candidateFirst === j.candidateSecond ? j.candidateFirst : 'tie';
}

/** The candidate's win rate over the baseline, a tie counting half. */
export function judgeWinRate(judged: readonly JudgedPrompt[]): PreferenceAccuracy {
  let wins = 0;
  let ties = 0;
  for (const j of judged) {
    const outcome = bothOrders(j);
    if (outcome === 'candidate') wins++;
    else if (outcome === 'tie') ties++;
  }
  return {
    method: 'judge_win_rate',
    accuracy: judged.length === 0 ? NaN : (wins + ties / 2) / judged.length,
    n: judged.length,
    correct: wins,
    ties,
  };
}
