// The features the lexical embedder reads from a text: content words, word bigrams and character
// trigrams of each word, weighted by sublinear term frequency. Pure and deterministic.

/** Common English function words: in almost every answer, so they say nothing about a failure mode. */
const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her him his i if in ' +
    'into is it its me my no not of on or our she so than that the their them then there these they this ' +
    'those to us was we were what when which who will with would you your'
  ).split(' '),
);

/** How much each kind of feature counts; words carry meaning, trigrams catch spelling and inflection. */
const WEIGHT = { word: 1, bigram: 0.5, trigram: 0.2 } as const;

/** Feature → weight for one text: (1 + ln tf) × the kind's weight. */
export function lexicalFeatures(text: string): Map<string, number> {
  const words =
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? [];
  const counts = new Map<string, number>();
  const add = (feature: string, weight: number): void => {
    counts.set(feature, (counts.get(feature) ?? 0) + weight);
  };
  let previous: string | undefined;
  for (const word of words) {
    if (STOP_WORDS.has(word)) {
      previous = undefined;
      continue;
    }
    add(`w:${word}`, WEIGHT.word);
    if (previous !== undefined) add(`b:${previous} ${word}`, WEIGHT.bigram);
    previous = word;
    const padded = `<${word}>`;
    for (let i = 0; i + 3 <= padded.length; i++) add(`c:${padded.slice(i, i + 3)}`, WEIGHT.trigram);
  }
  // Sublinear tf, so a word repeated ten times does not outweigh ten distinct ones.
  for (const [feature, raw] of counts) {
    const kind = feature[0] === 'w' ? WEIGHT.word : feature[0] === 'b' ? WEIGHT.bigram : WEIGHT.trigram;
    const tf = raw / kind;
    counts.set(feature, kind * (1 + Math.log(tf)));
  }
  return counts;
}
