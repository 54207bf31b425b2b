// The text of the rubric results prefloop adds to a span's SpanAttributes, with what recurs remembered.
import { ANNOTATION_FIELDS, annotationKey, OI } from '../conventions.js';
import { attributeToString } from '../records/attributeToString.js';
import { CACHED_INDICES, withRubricFileHash } from '../records/evaluationAttributes.js';
import type { EvaluationRecord } from '../records/types.js';
import { jsonString, type JsonStringMemo } from './jsonString.js';

const RECENT_RESULTS = 4096;
const RECENT_EXPLANATION_MAX = 160;

type RecentResult = Pick<
  EvaluationRecord,
  'explanation' | 'score' | 'label' | 'rubricVersion' | 'annotatorKind' | 'metadata'
> & { index: number; setHash: string; json: string; bytes: Buffer | undefined };

/**
 * The results' text, remembered by rubric and explanation for one TraceLineWriter. Deterministic rubrics give
 * few distinct results ("no lexicon term found" on most spans: 2 to 184 per rubric over 3,000 HH-RLHF spans, but for completeness,
 * which names the missing terms), so most of a span's results are one comparison with the rubric's last
 * result and one copy of bytes into the line instead of 14 pieces, four memo lookups and two escapes.
 * Copying the bytes (~500 a result, about half of a row) rather than adding the text to the line spares
 * flattening and encoding it again: encoding 0.85×, 0.92× and 0.92× in paired runs over the same requests.
 * Bounded: it starts over past RECENT_RESULTS, and long explanations (a judge's) are not kept.
 */
export class EvaluationText {
  /** By rubric id, then explanation: rubrics that share an explanation ("valid JSON") keep one each. */
  private readonly recentResults = new Map<
    string,
    { memo: Map<string, RecentResult>; last: RecentResult | undefined }
  >();
  private recentCount = 0;
  /**
   * `,"evaluations.{i}.evaluation.<field>":` for each field in write order, built once per index below
   * CACHED_INDICES (a sender picks the indices, up to 10^6: past that they are built each time).
   */
  private readonly keyFragments: string[][] = [];
  /** The JSON of `rubricId@rubricVersion`, remembered per rubric (the last version seen for each id). */
  private readonly identifiers = new Map<string, { version: string; json: string }>();

  constructor(private readonly values: JsonStringMemo) {}

  /**
   * One result's seven attributes at index `i`, each preceded by a comma, as `forEachAddedAttribute` visits them:
   * as text, or, for a result that recurs, as its remembered UTF-8 bytes (see recentResults). Written field by
   * field rather than through the visitor: the keys are fixed per index, and name, kind, identifier and metadata
   * recur per rubric.
   */
  resultText(i: number, e: EvaluationRecord, setHash: string): string | Buffer {
    const byRubric = this.recentResults.get(e.rubricId);
    let known = byRubric?.last;
    // Most results repeat their rubric's previous one ("no lexicon term found"): compared first, that spares
    // hashing the explanation (a new string on every span) and probing the memo with it.
    if (known === undefined || known.explanation !== e.explanation) known = byRubric?.memo.get(e.explanation);
    if (
      known &&
      known.index === i &&
      Object.is(known.score, e.score) &&
      known.label === e.label &&
      known.rubricVersion === e.rubricVersion &&
      known.annotatorKind === e.annotatorKind &&
      known.setHash === setHash &&
      known.metadata === e.metadata
    ) {
      byRubric!.last = known;
      // Made at the first recurrence: many completeness results (naming the missing terms) never recur.
      return (known.bytes ??= Buffer.from(known.json));
    }
    const k = this.keyFragmentsOf(i);
    const json =
      k[0] +
      this.values.get(e.rubricId) +
      k[1] +
      jsonString(attributeToString(e.score)) +
      k[2] +
      this.values.get(e.label) +
      k[3] +
      jsonString(e.explanation) +
      k[4] +
      this.values.get(e.annotatorKind) +
      k[5] +
      this.identifierJson(e) +
      k[6] +
      this.values.get(withRubricFileHash(e.metadata, setHash));
    if (e.explanation.length > RECENT_EXPLANATION_MAX || i >= CACHED_INDICES) return json;
    if (this.recentCount >= RECENT_RESULTS) {
      this.recentResults.clear();
      this.recentCount = 0;
    }
    const { explanation, score, label, rubricVersion, annotatorKind, metadata } = e;
    const kept: RecentResult = {
      index: i,
      explanation,
      score,
      label,
      rubricVersion,
      annotatorKind,
      metadata,
      setHash,
      // Kept as built: it is only read to make the bytes, if it recurs (internalising every new one, as most
      // completeness results are, was wasted work once recurring results went in as bytes).
      json,
      bytes: undefined,
    };
    let recent = this.recentResults.get(e.rubricId); // not byRubric: the memo may have started over above
    if (!recent) this.recentResults.set(e.rubricId, (recent = { memo: new Map(), last: undefined }));
    if (!recent.memo.has(explanation)) this.recentCount += 1;
    recent.memo.set(explanation, kept);
    recent.last = kept;
    return kept.json;
  }

  private keyFragmentsOf(i: number): string[] {
    let fragments = this.keyFragments[i];
    if (!fragments) {
      fragments = ANNOTATION_FIELDS.map(
        (field) => ',' + jsonString(annotationKey(OI.evaluations, i, field)) + ':',
      );
      if (i < CACHED_INDICES) this.keyFragments[i] = fragments;
    }
    return fragments;
  }

  private identifierJson(e: EvaluationRecord): string {
    const known = this.identifiers.get(e.rubricId);
    if (known && known.version === e.rubricVersion) return known.json;
    const json = jsonString(`${e.rubricId}@${e.rubricVersion}`);
    if (this.identifiers.size >= 4096) this.identifiers.clear();
    this.identifiers.set(e.rubricId, { version: e.rubricVersion, json });
    return json;
  }
}
