// With a judge: each cluster's name, diagnosis and immediate_fix (the exemplar's answer rewritten), asked
// through the rubrics' judge client, the answer read by DESIGN.md's reply contract (fenced JSON accepted).
import type { ChatMessage } from '../records/types.js';
import { findJsonObject } from '../score/judge/parseJudgeAnswer.js';
import { Semaphore } from '../score/judge/Semaphore.js';
import type { FoundCluster } from './clusterFailures.js';

/** What diagnosing needs of a judge (JudgeClient). */
export interface ClusterJudge {
  /** The assistant text of one chat completion. */
  complete(messages: readonly ChatMessage[]): Promise<string>;
}

/** A cluster's judged name, diagnosis and fix. */
export interface Diagnosis {
  readonly name: string;
  readonly diagnosis: string;
  readonly immediateFix: string;
}

/** Members shown to the judge besides the exemplar: enough to see the pattern, few enough to stay short. */
const SHOWN = 4;

/** The judge's prompt for one cluster. */
export function diagnosisMessages(cluster: FoundCluster): ChatMessage[] {
  const others = cluster.members
    .filter((m) => m.span.spanId !== cluster.exemplar.spanId)
    .slice(0, SHOWN)
    .map((m, k) => `${k + 1}. ${m.span.text.slice(0, 600)}`);
  return [
    {
      role: 'system',
      content:
        'You review a cluster of failing answers from a production LLM application. Reply with one JSON object ' +
        '{"name": str, "diagnosis": str, "immediate_fix": str}: a short name for the failure mode, what goes wrong ' +
        'and why, and the exemplar answer rewritten as it should have been.',
    },
    {
      role: 'user',
      content: [
        `Failing checks: ${cluster.failingRubrics.join(', ') || 'none recorded'}`,
        `Distinguishing terms: ${cluster.terms.join(', ')}`,
        `Exemplar answer:\n${cluster.exemplar.text.slice(0, 2000)}`,
        others.length > 0 ? `Other answers in the cluster:\n${others.join('\n')}` : '',
      ]
        .filter((p) => p !== '')
        .join('\n\n'),
    },
  ];
}

/** The reply read as a Diagnosis, or an error naming what is missing. */
export function parseDiagnosis(text: string): Diagnosis {
  const json = findJsonObject(text);
  const field = (key: string): string => {
    const v = json?.[key];
    if (typeof v !== 'string' || v.trim() === '')
      throw new Error(`the judge's reply has no "${key}" string: ${text.slice(0, 200)}`);
    return v.trim();
  };
  return { name: field('name'), diagnosis: field('diagnosis'), immediateFix: field('immediate_fix') };
}

/** Diagnoses every cluster, `concurrency` at a time; a cluster whose reply fails keeps its lexical name. */
export async function diagnoseClusters(
  clusters: readonly FoundCluster[],
  judge: ClusterJudge,
  concurrency = 4,
  onError: (cluster: FoundCluster, err: Error) => void = () => {},
): Promise<(Diagnosis | undefined)[]> {
  const slots = new Semaphore(concurrency);
  return Promise.all(
    clusters.map((c) =>
      slots.run(async () => {
        try {
          return parseDiagnosis(await judge.complete(diagnosisMessages(c)));
        } catch (err) {
          onError(c, err as Error);
          return undefined;
        }
      }),
    ),
  );
}
