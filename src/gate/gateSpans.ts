// Each gate answer as an OpenInference LLM span (service prefloop-gate, model, gate run id), scored by the
// rubric file's Scorer exactly as the pipeline scores production spans, ready for the store.
import { randomBytes } from 'node:crypto';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { GATE } from '../names.js';
import { OI } from '../conventions.js';
import { normalizeSpan } from '../normalize/normalizeSpan.js';
import { addEvaluationAttributes } from '../records/evaluationAttributes.js';
import type { ChatMessage, DecodedSpan, EvaluationRecord, SpanRecord } from '../records/types.js';
import type { Scorer } from '../score/Scorer.js';
import { traceRow } from '../sink/rows.js';
import type { TraceRow } from '../sink/rows.js';
import type { AnswerScores } from './compare.js';

export interface GateAnswer {
  runId: string;
  side: 'baseline' | 'candidate';
  model: string;
  promptKey: string;
  prompt: readonly ChatMessage[];
  answer: string;
  /** When the answer arrived (ns). */
  timeUnixNano: bigint;
}

/** The span of one gate answer, as an instrumented application would have sent it. */
export function gateSpan(a: GateAnswer): DecodedSpan {
  const attributes: DecodedSpan['attributes'] = {
    [OI.spanKind]: 'LLM',
    [OI.modelName]: a.model,
    [GATE.runIdAttribute]: a.runId,
    [GATE.sideAttribute]: a.side,
    [GATE.promptKeyAttribute]: a.promptKey,
  };
  a.prompt.forEach((m, i) => {
    attributes[`${OI.inputMessages}.${i}.${OI.messageRole}`] = m.role;
    attributes[`${OI.inputMessages}.${i}.${OI.messageContent}`] = m.content;
  });
  attributes[`${OI.outputMessages}.0.${OI.messageRole}`] = 'assistant';
  attributes[`${OI.outputMessages}.0.${OI.messageContent}`] = a.answer;
  return {
    traceId: randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
    parentSpanId: '',
    traceState: '',
    name: 'gate.chat',
    kind: 3, // CLIENT: the gate called the model
    startTimeUnixNano: a.timeUnixNano,
    endTimeUnixNano: a.timeUnixNano,
    attributes,
    events: [],
    links: [],
    statusCode: 0,
    statusMessage: '',
    resource: { [ATTR_SERVICE_NAME]: GATE.serviceName },
    scopeName: 'prefloop-gate',
    scopeVersion: '',
  };
}

export interface ScoredAnswer {
  answer: GateAnswer;
  record: SpanRecord;
  results: EvaluationRecord[];
  scores: AnswerScores;
  row: TraceRow;
}

/**
 * Scores the answers with the rubric file (deterministic rubrics, then judges; a judge result that misses its
 * wait cap is still taken: the gate waits for every result) and writes the results onto the spans.
 */
export async function scoreAnswers(scorer: Scorer, answers: readonly GateAnswer[]): Promise<ScoredAnswer[]> {
  const records = answers.map((a) => normalizeSpan(gateSpan(a)));
  const results = records.map((r) => scorer.scoreSync(r));
  if (scorer.hasJudges) {
    const index = new Map(records.map((r, i) => [r, i]));
    const judged = await scorer.scoreWithJudges(records, (record, evaluation) => {
      results[index.get(record)!]!.push(evaluation);
    });
    await scorer.forceFlush();
    judged.forEach((j, i) => results[i]!.push(...j));
  }
  return records.map((record, i) => {
    addEvaluationAttributes(record, results[i]!, scorer.set.hash);
    const scores = new Map<string, number>();
    for (const e of results[i]!) if (Number.isFinite(e.score)) scores.set(e.rubricId, e.score);
    // No prompt hash on the stored row: every pair view reads only LLM spans with one, so the gate's answers
    // (a candidate's, on hold-out prompts) never become preference pairs or KTO examples of a later export.
    // The prompt stays identified by the prefloop.gate.prompt_key attribute and PromptClass.
    return {
      answer: answers[i]!,
      record,
      results: results[i]!,
      scores,
      row: { ...traceRow(record), PromptHash: '' },
    };
  });
}
