// Naming without a judge: each cluster's most distinguishing words by class-based TF-IDF (BERTopic's
// c-TF-IDF: all of a cluster's texts as one document, tf × ln(1 + A / f), A the mean words per cluster,
// f the word's frequency over all clusters).
import { lexicalFeatures } from './embed/lexicalFeatures.js';

/** The top `count` terms (words and bigrams) of each cluster, best first; index = cluster label. */
export function clusterTerms(
  texts: readonly string[],
  labels: ArrayLike<number>,
  clusters: number,
  count = 5,
): string[][] {
  const perCluster = Array.from({ length: clusters }, () => new Map<string, number>());
  const overall = new Map<string, number>();
  for (let i = 0; i < texts.length; i++) {
    const label = labels[i]!;
    if (label < 0) continue;
    // Raw counts per text would let one long answer dominate; presence per text counts each answer once.
    for (const feature of lexicalFeatures(texts[i]!).keys()) {
      if (feature[0] === 'c') continue; // trigrams name nothing a reader can use
      const term = feature.slice(2);
      perCluster[label]!.set(term, (perCluster[label]!.get(term) ?? 0) + 1);
      overall.set(term, (overall.get(term) ?? 0) + 1);
    }
  }
  const words = perCluster.map((m) => [...m.values()].reduce((s, v) => s + v, 0));
  const average = words.reduce((s, v) => s + v, 0) / Math.max(1, clusters);
  return perCluster.map((terms, c) =>
    [...terms]
      .map(([term, tf]) => ({
        term,
        score: (tf / Math.max(1, words[c]!)) * Math.log(1 + average / overall.get(term)!),
      }))
      .sort((a, b) => b.score - a.score || (a.term < b.term ? -1 : 1))
      // A bigram and its own words say the same thing twice: keep whichever ranks first.
      .filter(
        (t, k, all) =>
          !all
            .slice(0, k)
            .some((u) => u.term.split(' ').includes(t.term) || t.term.split(' ').includes(u.term)),
      )
      .slice(0, count)
      .map((t) => t.term),
  );
}
