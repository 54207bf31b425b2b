// Per-span text work shared by the evaluators: each text is joined, tokenised and stemmed once per span.
import type { SpanRecord } from '../../records/types.js';
import { ALL_CHARS, type CharScan, UNSCANNED } from './charClasses.js';
import { sentences } from './textBasics.js';
import { contentTermSet, contentTerms, termsOf, tokenize, type Tokenized, wordsOf } from './tokenize.js';
import { type Word } from './vocabulary.js';

/** Which text of a span an evaluator reads. */
export type TextTarget = 'response' | 'last_user' | 'prompt';

/**
 * Lazily computed views of one span's texts. Every getter computes on first use and keeps the result, so a
 * rubric file with eight evaluators tokenises the response once instead of once per evaluator.
 * Returned arrays and sets are shared: callers must not mutate them.
 */
export class TextFeatures {
  private _lastUser: string | undefined;
  private _prompt: string | undefined;
  private _responseTokens: Tokenized | undefined;
  private _lastUserWords: Word[] | undefined;
  private _sentenceTerms: { sentence: string; terms: string[] }[] | undefined;
  /** contextTerms by its argument (-1: without system messages). */
  private readonly _context = new Map<number, TermLookup | null>();

  /** The texts these features were computed from, to notice a record changed since. */
  readonly response: string;
  readonly messages: SpanRecord['prompt'];
  readonly documents: SpanRecord['documents'];

  constructor(record: SpanRecord) {
    this.response = record.response;
    this.messages = record.prompt;
    this.documents = record.documents;
  }

  /** The response, the last user message, or the whole prompt (messages joined by newlines). */
  text(target: TextTarget): string {
    if (target === 'response') return this.response;
    return target === 'prompt' ? this.prompt : this.lastUser;
  }

  /** The content of the last user (or human) message; '' when there is none. */
  get lastUser(): string {
    if (this._lastUser === undefined) {
      const prompt = this.messages;
      this._lastUser = '';
      for (let i = prompt.length - 1; i >= 0; i--) {
        const m = prompt[i]!;
        if (m.role === 'user' || m.role === 'human') {
          this._lastUser = m.content;
          break;
        }
      }
    }
    return this._lastUser;
  }

  /** Every prompt message's content, joined by newlines. */
  get prompt(): string {
    this._prompt ??= this.messages.map((m) => m.content).join('\n');
    return this._prompt;
  }

  /** `wordsOf(response)`: the response's tokens, each with its content term. */
  get responseWords(): readonly Word[] {
    return this.responseTokens.words;
  }

  /** `tokenize(response)`. */
  get responseTokens(): Tokenized {
    this._responseTokens ??= tokenize(this.response);
    return this._responseTokens;
  }

  /** Which CHARS classes the response may contain (tokenises it if no evaluator did yet). */
  get responseChars(): number {
    return this.responseTokens.chars;
  }

  /**
   * responseChars when the response is tokenised already, else ALL_CHARS: for evaluators that only use it to
   * skip a regex, which is cheaper than tokenising for that alone.
   */
  get knownResponseChars(): number {
    return this._responseTokens?.chars ?? ALL_CHARS;
  }

  /** knownResponseChars with the response's digit count, when it is tokenised already. */
  get knownResponseScan(): CharScan {
    return this._responseTokens ?? UNSCANNED;
  }

  /** `wordsOf(lastUser)`: its tokens, each with its content term. */
  get lastUserWords(): readonly Word[] {
    this._lastUserWords ??= wordsOf(this.lastUser);
    return this._lastUserWords;
  }

  /** The response's sentences, each with its content terms. */
  get sentenceTerms(): readonly { sentence: string; terms: string[] }[] {
    if (this._sentenceTerms === undefined) {
      this._responseTokens ??= tokenize(this.response);
      this._sentenceTerms = this._responseTokens.aligned
        ? splitTokenized(this.response, this._responseTokens)
        : sentences(this.response).map((sentence) => ({ sentence, terms: contentTerms(sentence) }));
    }
    return this._sentenceTerms;
  }

  /**
   * The content terms of the context an answer may rely on: retrieved documents, plus each system message with
   * at least `minSystemTerms` distinct content terms (undefined: no system message); null when there is no
   * context at all.
   */
  contextTerms(minSystemTerms: number | undefined): TermLookup | null {
    const key = minSystemTerms ?? -1;
    let known = this._context.get(key);
    if (known === undefined) {
      const pieces = this.documents.map((d) => contentTermSet(d.content));
      if (minSystemTerms !== undefined)
        for (const m of this.messages) {
          if (m.role !== 'system') continue;
          const terms = contentTermSet(m.content);
          if (terms.size >= minSystemTerms) pieces.push(terms);
        }
      known = pieces.length === 0 ? null : pieces.length === 1 ? pieces[0]! : new AnyOf(pieces);
      this._context.set(key, known);
    }
    return known;
  }
}

/** Membership in a set of terms. */
export interface TermLookup {
  has(term: string): boolean;
}

/** Terms of several texts: the union of their sets, without building it. */
class AnyOf implements TermLookup {
  constructor(private readonly sets: readonly ReadonlySet<string>[]) {}

  has(term: string): boolean {
    for (const s of this.sets) if (s.has(term)) return true;
    return false;
  }
}

/** The separator `sentences` splits on. */
const SENTENCE_BREAK = /(?<=[.!?])\s+|\n+/g;

/**
 * `sentences(text)` with each sentence's content terms, taken from the text's tokens instead of tokenising
 * every sentence again. Exact because separators are whitespace, which no token contains or spans.
 */
function splitTokenized(text: string, t: Tokenized): { sentence: string; terms: string[] }[] {
  const out: { sentence: string; terms: string[] }[] = [];
  let k = 0;
  let from = 0;
  SENTENCE_BREAK.lastIndex = 0;
  // The last piece runs to the end of the text (m === null); a plain loop rather than a closure per call.
  for (;;) {
    const m = SENTENCE_BREAK.exec(text);
    const to = m === null ? text.length : m.index;
    const first = k;
    while (k < t.starts.length && t.starts[k]! < to) k++;
    const sentence = text.slice(from, to).trim();
    if (sentence !== '') out.push({ sentence, terms: termsOf(t.words, first, k) });
    if (m === null) return out;
    from = m.index + m[0].length;
  }
}

/**
 * The last span's features. One slot is enough because a Scorer runs all its evaluators on one span before
 * the next; and unlike a cache that lives as long as each record (a WeakMap), the tokens of a scored span
 * become garbage at once instead of being promoted with records that wait in the sink queue.
 */
let last: TextFeatures | undefined;
let lastRecord: SpanRecord | undefined;

/**
 * The shared features of `record`. A record whose prompt, response or documents were replaced since gets
 * fresh features (records are not expected to change after normalisation, but a stale score would be
 * silent). In-place edits of the prompt or documents arrays are not noticed.
 */
export function textFeatures(record: SpanRecord): TextFeatures {
  if (
    last === undefined ||
    lastRecord !== record ||
    last.response !== record.response ||
    last.messages !== record.prompt ||
    last.documents !== record.documents
  ) {
    last = new TextFeatures(record);
    lastRecord = record;
  }
  return last;
}
