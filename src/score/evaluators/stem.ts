// The content term of a word: stopwords dropped, light suffix stemming ("documents" → "document").

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

/** The content term of a (lower-cased) token: '' for a stopword or single letter, else its stem. */
export function termOf(w: string): string {
  if (w.length < 2 || STOPWORDS.has(w)) return '';
  const quote = w.indexOf("'");
  return stem(quote === -1 ? w : w.slice(0, quote));
}
