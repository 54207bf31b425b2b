// The built-in `lexical` embedder: hashed features (lexicalFeatures), TF-IDF weighted, projected onto 128
// dimensions by a sparse random ±1 projection drawn from each feature's hash, then L2-normalised.
// Deterministic, no download.
import { lexicalFeatures } from './lexicalFeatures.js';

/** The model name stored with each vector; bump the version whenever the method changes. */
export const LEXICAL_MODEL = 'lexical-v2';

/** Output dimensions (a power of two: a position is 7 bits of hash). */
export const LEXICAL_DIMENSIONS = 128;

/**
 * Dimensions each feature touches: 16 of 128 scored at least as well as all 128 on the planted-failure
 * benchmark (bench/cluster.ts) for an eighth of the work.
 */
const NONZERO = 16;

/** Document frequencies of hashed features over one corpus: the IDF half of TF-IDF. */
export interface LexicalIdf {
  /** Documents counted. */
  readonly documents: number;
  /** Feature hash → documents containing it. */
  readonly frequency: ReadonlyMap<number, number>;
}

/** Counts in how many texts each feature occurs. */
export function fitIdf(texts: Iterable<string>): LexicalIdf {
  const frequency = new Map<number, number>();
  let documents = 0;
  for (const text of texts) {
    documents++;
    for (const feature of lexicalFeatures(text).keys()) {
      const h = fnv1a(feature);
      frequency.set(h, (frequency.get(h) ?? 0) + 1);
    }
  }
  return { documents, frequency };
}

/**
 * One text's vector. Each feature's weight is its tf weight times the smoothed IDF of `idf`
 * (ln((1 + N) / (1 + df)) + 1, scikit-learn's TfidfVectorizer), or 1 without one. The projection row of a
 * feature is drawn from its FNV-1a hash, so no vocabulary or matrix is stored and the same text and IDF
 * always give the same vector (random projections keep distances up to a small distortion).
 */
export function lexicalEmbedding(text: string, idf?: LexicalIdf): Float32Array {
  const sums = new Float64Array(LEXICAL_DIMENSIONS);
  for (const [feature, tf] of lexicalFeatures(text)) {
    let state = fnv1a(feature);
    const weight =
      idf === undefined
        ? tf
        : tf * (Math.log((1 + idf.documents) / (1 + (idf.frequency.get(state) ?? 0))) + 1);
    // Very sparse projection (Li, Hastie & Church 2006): each feature adds ±weight to NONZERO of the
    // dimensions, one byte of hash per choice (7 bits of position, 1 of sign), four choices per mix.
    for (let k = 0; k < NONZERO / 4; k++) {
      state = mix(state + k + 1);
      for (let b = 0; b < 32; b += 8) {
        const byte = (state >>> b) & 0xff;
        sums[byte & (LEXICAL_DIMENSIONS - 1)]! += byte & 0x80 ? weight : -weight;
      }
    }
  }
  let norm = 0;
  for (const v of sums) norm += v * v;
  norm = Math.sqrt(norm);
  // An empty or all-stop-word text stays the zero vector: no direction to claim.
  return Float32Array.from(sums, (v) => (norm > 0 ? v / norm : 0));
}

/** 32-bit FNV-1a over UTF-16 code units. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit finaliser (murmur3's fmix32), so successive words of signs are independent. */
function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
