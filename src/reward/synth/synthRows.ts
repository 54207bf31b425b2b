// The rows `prefloop synth` stores: each answer as an OpenInference LLM span (service prefloop-synth, marked
// synthetic) and each pairwise verdict as a judge_verdicts row with Synthetic = 1. Ids are derived from the
// model, the prompt and the sample index, so a second run finds the first run's answers (the cache). Pure.
import { createHash } from 'node:crypto';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { SYNTH } from '../../names.js';
import { OI } from '../../conventions.js';
import { normalizeSpan } from '../../normalize/normalizeSpan.js';
import type { ChatMessage, DecodedSpan } from '../../records/types.js';
import { traceRow, type TraceRow } from '../../sink/rows.js';

const sha = (...parts: string[]) => createHash('sha256').update(JSON.stringify(parts)).digest('hex');

/** Trace id of a prompt's answers by one model, and the span id of its `index`th answer. */
export function synthIds(
  model: string,
  prompt: readonly ChatMessage[],
  index: number,
): { traceId: string; spanId: string } {
  const key = JSON.stringify(prompt);
  return {
    traceId: sha('synth-trace', model, key).slice(0, 32),
    spanId: sha('synth-span', model, key, String(index)).slice(0, 16),
  };
}

export interface SynthAnswer {
  model: string;
  prompt: readonly ChatMessage[];
  index: number;
  text: string;
  /** When it arrived (ns). */
  timeUnixNano: bigint;
}

/** The span of one synthetic answer, as an instrumented application would have sent it, then normalised. */
export function synthSpan(a: SynthAnswer): DecodedSpan {
  const attributes: DecodedSpan['attributes'] = {
    [OI.spanKind]: 'LLM',
    [OI.modelName]: a.model,
    [SYNTH.syntheticAttribute]: true,
  };
  a.prompt.forEach((m, i) => {
    attributes[`${OI.inputMessages}.${i}.${OI.messageRole}`] = m.role;
    attributes[`${OI.inputMessages}.${i}.${OI.messageContent}`] = m.content;
  });
  attributes[`${OI.outputMessages}.0.${OI.messageRole}`] = 'assistant';
  attributes[`${OI.outputMessages}.0.${OI.messageContent}`] = a.text;
  const { traceId, spanId } = synthIds(a.model, a.prompt, a.index);
  return {
    traceId,
    spanId,
    parentSpanId: '',
    traceState: '',
    name: 'synth.chat',
    kind: 3, // CLIENT: synth called the model
    startTimeUnixNano: a.timeUnixNano,
    endTimeUnixNano: a.timeUnixNano,
    attributes,
    events: [],
    links: [],
    statusCode: 0,
    statusMessage: '',
    resource: { [ATTR_SERVICE_NAME]: SYNTH.serviceName },
    scopeName: SYNTH.serviceName,
    scopeVersion: '',
  };
}

/** The otel_traces row of an answer and its prompt hash (what pairs group by). */
export function synthTraceRow(a: SynthAnswer): { row: TraceRow; promptHash: string } {
  const record = normalizeSpan(synthSpan(a));
  return { row: traceRow(record), promptHash: record.promptHash };
}

export interface SynthVerdict {
  rubricVersion: string;
  promptHash: string;
  a: { traceId: string; spanId: string };
  b: { traceId: string; spanId: string };
  winner: 'A' | 'B' | 'tie';
  confidence: number;
  flipped: boolean;
  explanation: string;
  judgeModel: string;
  timeUnixNano: bigint;
}

/** A judge_verdicts row marked synthetic. */
export function verdictRow(v: SynthVerdict): Record<string, string | number> {
  return {
    Timestamp: v.timeUnixNano.toString(),
    RubricId: SYNTH.rubricId,
    RubricVersion: v.rubricVersion,
    PromptHash: v.promptHash,
    TraceIdA: v.a.traceId,
    SpanIdA: v.a.spanId,
    TraceIdB: v.b.traceId,
    SpanIdB: v.b.spanId,
    Winner: v.winner === 'tie' ? 'tie' : v.winner.toLowerCase(),
    Confidence: v.confidence,
    Flipped: v.flipped ? 1 : 0,
    Explanation: v.explanation,
    JudgeModel: v.judgeModel,
    Synthetic: 1,
  };
}
