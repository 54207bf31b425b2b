// Completeness: does the answer address what was asked (question terms covered) and is it finished.
import { z } from 'zod';
import { defineEvaluator } from './Evaluator.js';
import { NON_ANSWER_TEXT, nonAnswer } from './nonAnswer.js';
import { textFeatures } from './TextFeatures.js';
import { HashFilter } from './HashFilter.js';
import { isBlank, unit } from './textBasics.js';
import { countWords, type Tokenized } from './tokenize.js';

const params = z
  .object({
    /** Answers shorter than this many words lose score in proportion (a bare "Yes." rarely completes). */
    min_words: z.number().int().min(0).default(5),
    /** Multiplier applied when the answer looks cut off (no closing punctuation, open code fence, "..."). */
    truncation_penalty: z.number().min(0).max(1).default(0.5),
  })
  .strict()
  .prefault({});

export const completeness = defineEvaluator({
  name: 'completeness',
  description:
    'share of the question’s content words the answer covers, penalised when cut off or very short',
  defaultDirection: 'higher_is_better',
  params,
  evaluate(record, p) {
    const f = textFeatures(record);
    const question = f.lastUser;
    const answer = record.response;
    if (isBlank(question)) return null;
    // The question's few distinct terms, indexed; the answer's terms are looked up in them rather than
    // building a set of the (longer) answer for each span. Plain loops: this runs on every span.
    const index = new Map<string, number>();
    const asked: string[] = [];
    ASKED.clear();
    for (const w of f.lastUserWords) {
      const t = w.term;
      if (t === '' || index.has(t)) continue;
      index.set(t, asked.length);
      asked.push(t);
      ASKED.add(w.termHash);
    }
    // Nothing was asked ("Ok, thanks!"): there is nothing for an answer to be complete about.
    if (asked.length === 0) return null;
    const none = nonAnswer(record);
    if (none !== '')
      return {
        score: 0,
        label: none === 'empty' ? 'empty' : 'non_answer',
        explanation: NON_ANSWER_TEXT[none],
      };
    const said = new Uint8Array(asked.length);
    let covered = 0;
    for (const w of f.responseWords) {
      // Most answer words are not question terms: their term hash rules them out without reading the term.
      const i = ASKED.mayHave(w.termHash) ? index.get(w.term) : undefined;
      if (i !== undefined && said[i] === 0) {
        said[i] = 1;
        covered++;
      }
    }
    const coverage = covered / asked.length;
    const n = f.responseWords.length;
    const lengthFactor = p.min_words === 0 ? 1 : Math.min(1, n / p.min_words);
    const cut = looksTruncated(answer, f.responseTokens);
    const score = unit(coverage * lengthFactor * (cut ? p.truncation_penalty : 1));
    let explanation = `covers ${covered}/${asked.length} question terms`;
    if (covered < asked.length) {
      const missing: string[] = [];
      for (let i = 0; i < asked.length && missing.length < 5; i++) if (said[i] === 0) missing.push(asked[i]!);
      explanation += `; missing: ${missing.join(', ')}`;
    }
    if (cut) explanation += '; looks truncated';
    if (lengthFactor < 1) explanation += `; only ${n} words`;
    const label = cut ? 'truncated' : score >= 0.6 ? 'complete' : score >= 0.3 ? 'partial' : 'incomplete';
    return { score, label, explanation };
  },
});

/** The question terms' hashes of the span being scored (evaluate runs one span at a time). */
const ASKED = new HashFilter(8);

/** Cut-off answers: an odd number of code fences, a trailing ellipsis, or a last line ending mid-sentence. */
// The end-of-text checks look at the last characters directly: a regex anchored with `$` is tried at every
// position of the text, which made this function a visible share of scoring.
// `tokens`, the answer's own tokens when the caller has them, count the last line's words without scanning it
// again: a token never spans a line break, so the line's tokens are the answer's tokens that start in it.
export function looksTruncated(answer: string, tokens?: Tokenized): boolean {
  const text = answer.trimEnd();
  if (count(text, '```') % 2 === 1) return true;
  if (text.endsWith('...') || text.endsWith('…')) return true;
  const lineStart = text.lastIndexOf('\n') + 1;
  const lastLine = text.slice(lineStart);
  // Lists, headings, code and short lines legitimately end without punctuation.
  if (/^\s*([-*•]|\d+[.)]|#|\||```)/.test(lastLine)) return false;
  const words = tokens?.aligned === true ? tokensFrom(tokens.starts, lineStart, 8) : countWords(lastLine, 8);
  if (words < 8) return false;
  return !CLOSING.has(text.charAt(text.length - 1)) && !EMOJI.test(lastCodePoint(text));
}

/** How many of the tokens (by their sorted starts) start at or after `from`, counting no further than `limit`. */
function tokensFrom(starts: readonly number[], from: number, limit: number): number {
  let n = 0;
  for (let k = starts.length - 1; k >= 0 && n < limit && starts[k]! >= from; k--) n++;
  return n;
}

/** Characters a finished line may end with (besides an emoji). */
const CLOSING = new Set('.!?:;)"\']}*`>');
const EMOJI = /^\p{Emoji_Presentation}$/u;

/** Non-overlapping occurrences of `needle`, as `text.match(/needle/g)` counts them. */
function count(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** The last code point of `text` as a string (both halves of a surrogate pair); '' for ''. */
function lastCodePoint(text: string): string {
  const n = text.length;
  const pair =
    n >= 2 && (text.charCodeAt(n - 1) & 0xfc00) === 0xdc00 && (text.charCodeAt(n - 2) & 0xfc00) === 0xd800;
  return text.slice(pair ? n - 2 : n - 1);
}
