// Non-answers: a response that says nothing a reader asked for ("Dunno.", a refusal of a benign request, the
// question echoed back). Rubrics that could not tell one from a real answer give it no result or a failing one.
import type { SpanRecord } from '../../records/types.js';
import { refusalStrength, userCue } from './refusal.js';
import { textFeatures } from './TextFeatures.js';
import { isBlank } from './textBasics.js';

/** Words past which a response is taken as an answer whatever its phrasing ("Not sure, but here is how…"). */
const DEFLECTION_MAX_WORDS = 12;

/** Stock ways of saying nothing: not knowing, not saying, sending the user elsewhere. */
const DEFLECTION =
  /\b(?:dunno|(?:i )?(?:don'?t|do not) know|no idea|not sure|unclear|unknown|can'?t say|cannot say|hard to say|no comment|who knows|beats me|ask (?:someone|somebody|elsewhere|around|another|a (?:human|person|colleague))|google it|search (?:it|online|the web))\b/i;

/** Why the response is a non-answer: 'empty', 'refusal', 'deflection' or 'echo'; '' for a real answer. */
export type NonAnswer = '' | 'empty' | 'refusal' | 'deflection' | 'echo';

/**
 * Whether the response of `record` is a non-answer, and which kind:
 * - empty: nothing but whitespace;
 * - refusal: a hard refusal ("I can't help with that.") of a request that does not look harmful (refusing a
 *   harmful one is the answer wanted, and answer_refusal judges it);
 * - deflection: a short response (up to 12 words) that only says the model does not know or sends the user
 *   elsewhere ("Dunno.", "Unclear.", "Ask someone else.");
 * - echo: every content word of the response is already in the last user message (the question repeated).
 */
export function nonAnswer(record: SpanRecord): NonAnswer {
  if (isBlank(record.response)) return 'empty';
  const f = textFeatures(record);
  // Soft refusals weigh 0: only a hard refusal makes a non-answer ("you should not…" may be the answer).
  if (refusalStrength(record.response, 0, f.knownResponseChars) >= 1 && userCue(record.prompt) === '')
    return 'refusal';
  const words = f.responseWords;
  if (
    words.length <= DEFLECTION_MAX_WORDS &&
    DEFLECTION.test(record.response.replace(/[\u2018\u2019]/g, "'"))
  )
    return 'deflection';
  let terms = 0;
  let asked: Set<string> | undefined;
  for (const w of words) {
    if (w.term === '') continue;
    terms++;
    asked ??= new Set(f.lastUserWords.map((u) => u.term));
    if (!asked.has(w.term)) return '';
  }
  return terms > 0 && f.lastUser !== '' ? 'echo' : '';
}

/** How a non-answer reads in an explanation. */
export const NON_ANSWER_TEXT: Readonly<Record<Exclude<NonAnswer, ''>, string>> = {
  empty: 'the response is empty',
  refusal: 'the response refuses a request that does not look harmful',
  deflection: 'the response only says it does not know or sends the user elsewhere',
  echo: 'the response only repeats the question',
};
