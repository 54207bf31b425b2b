// Measures held-out preference accuracy against the endpoints: DPO implicit reward where both give prompt
// log-probabilities, else the candidate's pairwise-judge win rate over the baseline (both orders).
import type { ChatMessage } from '../records/types.js';
import type { JudgeClient } from '../score/judge/JudgeClient.js';
import { Semaphore } from '../score/judge/Semaphore.js';
import { parsePairwise } from '../score/judge/parseJudgeAnswer.js';
import { pairwiseMessages } from '../score/judge/prompts.js';
import type { AnswerCache } from './answerCache.js';
import type { HoldoutPair, HoldoutPrompt } from './holdout.js';
import { answerLogprob } from './logprobs.js';
import type { ModelClient } from './ModelClient.js';
import { implicitRewardAccuracy, judgeWinRate } from './stats/preference.js';
import type { JudgedPrompt, PairLogprobs, PreferenceAccuracy } from './stats/preference.js';

/** What the pairwise judge is asked; its version names it, so a changed wording is a new judge version. */
export const GATE_JUDGE_CRITERIA =
  'Which response better serves the user: it answers what was asked, correctly and completely, is honest ' +
  'about what it does not know, declines only what is harmful, and contains nothing abusive or private.';
export const GATE_JUDGE_VERSION = 'gate-pairwise@1';

/**
 * The implicit-reward accuracy over the hold-out pairs, or null when either endpoint gives no prompt
 * log-probabilities (asked on the first pair; the rest only when it answered).
 */
export async function implicitReward(
  pairs: readonly HoldoutPair[],
  prompts: ReadonlyMap<string, HoldoutPrompt>,
  baseline: ModelClient,
  candidate: ModelClient,
  onProgress?: (done: number, total: number) => void,
): Promise<PreferenceAccuracy | null> {
  if (pairs.length === 0) return null;
  const one = async (pair: HoldoutPair): Promise<PairLogprobs | null> => {
    const messages = prompts.get(pair.promptKey)!.messages;
    const [cc, cr, rc, rr] = await Promise.all([
      answerLogprob(candidate, messages, pair.chosen),
      answerLogprob(candidate, messages, pair.rejected),
      answerLogprob(baseline, messages, pair.chosen),
      answerLogprob(baseline, messages, pair.rejected),
    ]);
    if (cc === null || cr === null || rc === null || rr === null) return null;
    return { candidateChosen: cc, candidateRejected: cr, referenceChosen: rc, referenceRejected: rr };
  };
  const first = await one(pairs[0]!);
  if (first === null) return null;
  let done = 1;
  const rest = await Promise.all(
    pairs.slice(1).map(async (p) => {
      const r = await one(p);
      onProgress?.(++done, pairs.length);
      return r;
    }),
  );
  const all = [first, ...rest];
  // An endpoint that answered the first pair but not a later one: measure on what both gave, and say how many
  // were left out.
  const measured = all.filter((x): x is PairLogprobs => x !== null);
  return { ...implicitRewardAccuracy(measured), unmeasured: all.length - measured.length };
}

/** The candidate's win rate over the baseline on the prompts, judged in both orders (a flip is a tie). */
export async function judgeWins(
  judge: JudgeClient,
  judgeKey: unknown,
  cache: AnswerCache,
  items: readonly { prompt: readonly ChatMessage[]; baseline: string; candidate: string }[],
  concurrency: number,
  onProgress?: (done: number, total: number) => void,
): Promise<PreferenceAccuracy> {
  let done = 0;
  let unreadable = 0;
  const winner = (text: string) => {
    const w = parsePairwise(text)?.winner;
    if (w === undefined) unreadable++;
    return w ?? 'tie';
  };
  const limit = new Semaphore(concurrency);
  const ask = (prompt: readonly ChatMessage[], a: string, b: string) => {
    const messages = pairwiseMessages(GATE_JUDGE_CRITERIA, prompt, a, b);
    return cache.through(['judge', judgeKey, messages], () => limit.run(() => judge.complete(messages)));
  };
  const judged = await Promise.all(
    items.map(async (it): Promise<JudgedPrompt> => {
      const [first, second] = await Promise.all([
        ask(it.prompt, it.candidate, it.baseline),
        ask(it.prompt, it.baseline, it.candidate),
      ]);
      onProgress?.(++done, items.length);
      const w1 = winner(first);
      const w2 = winner(second);
      return {
        candidateFirst: w1 === 'A' ? 'candidate' : w1 === 'B' ? 'baseline' : 'tie',
        candidateSecond: w2 === 'B' ? 'candidate' : w2 === 'A' ? 'baseline' : 'tie',
      };
    }),
  );
  return { ...judgeWinRate(judged), unreadable };
}
