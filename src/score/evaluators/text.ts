// Small text helpers the deterministic evaluators share: word tokens, light stemming, sentences.

/** Words that carry no content; ignored when comparing an answer with a question or documents. */
const STOPWORDS = new Set(
  (
    'a an the and or but if then else of to in on at by for with from into onto about as is are was were be ' +
    "been being am do does did doing have has had having it its it's this that these those there here i me my " +
    'mine you your yours he him his she her hers we us our ours they them their theirs what which who whom ' +
    'whose when where why how can could should would will shall may might must not no nor so than too very ' +
    'just also any some all each every both few more most other such only own same s t don doesn didn won ' +
    'isn aren wasn weren up down out over under again further once get got like one yes ok okay well really ' +
    'please thanks thank know think want make let'
  ).split(' '),
);

/** Lower-cased word tokens (letters, digits, inner apostrophes). */
export function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/[\u2018\u2019\u02bc]/g, "'")
      .match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? []
  );
}

/** A crude suffix stripper: enough to match "documents" with "document" and "running" with "run". */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  for (const suffix of ['ingly', 'edly', 'ing', 'ies', 'ied', 'es', 'ed', 'ly', 's']) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
      const base = word.slice(0, -suffix.length);
      return suffix === 'ies' || suffix === 'ied' ? base + 'y' : base;
    }
  }
  return word;
}

/** Stemmed content words (no stopwords, no single letters). */
export function contentTerms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (w.length < 2 || STOPWORDS.has(w)) continue;
    out.push(stem(w.replace(/'.*$/, '')));
  }
  return out;
}

/** Sentences, split on terminal punctuation and line breaks; empty pieces dropped. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Clamps to [0, 1] and rounds to 4 decimals so that scores print and compare stably. */
export function unit(x: number): number {
  if (!Number.isFinite(x)) return 0;
  return Math.round(Math.min(1, Math.max(0, x)) * 10000) / 10000;
}
