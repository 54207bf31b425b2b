// Builders of realistic SpanRecord / FeedbackRecord / EvaluationRecord values for the sink tests.
import type { EvaluationRecord, FeedbackRecord, SpanRecord } from '../../../src/records/types.js';

/** A chat LLM span; `i` makes ids and content unique. Timestamps carry nanosecond digits. */
export function spanRecord(i: number, traceId = 'a' + (i + 1).toString(16).padStart(31, '0')): SpanRecord {
  const start = 1_700_000_000_123_456_789n + BigInt(i) * 1_000_000_007n;
  return {
    span: {
      traceId,
      spanId: 'b' + (i + 1).toString(16).padStart(15, '0'),
      parentSpanId: i % 2 === 0 ? '' : 'c'.repeat(16),
      traceState: i % 3 === 0 ? 'vendor=1' : '',
      name: 'ChatCompletion',
      kind: 3,
      startTimeUnixNano: start,
      endTimeUnixNano: start + 987_654_321n,
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.token_count.prompt': 12n,
        'llm.model_name': 'gpt-4o-mini',
        'tag.tags': ['a', 'b'],
        blob: new Uint8Array([1, 2, 3]),
        flag: true,
        ratio: 0.5,
      },
      events: [
        { timeUnixNano: start + 1n, name: 'first_token', attributes: { idx: 0n } },
        {
          timeUnixNano: start + 2n,
          name: 'gen_ai.evaluation.result',
          attributes: { 'gen_ai.evaluation.name': 'x' },
        },
      ],
      links: [
        { traceId: 'd'.repeat(32), spanId: 'e'.repeat(16), traceState: '', attributes: { why: 'judged' } },
      ],
      statusCode: i % 3,
      statusMessage: i % 3 === 2 ? 'boom' : '',
      resource: { 'service.name': 'chat-api', 'host.cores': 8n },
      scopeName: 'openinference.instrumentation.openai',
      scopeVersion: '0.1.0',
    },
    serviceName: 'chat-api',
    llmKind: 'LLM',
    isLlm: true,
    prompt: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: `Question ${i}: what is "é" in ASCII?\nThanks` },
    ],
    response: `Answer ${i}`,
    documents: [{ content: 'doc', score: 0.9 }],
    sessionId: `session-${i % 4}`,
    userId: 'user-1',
    model: 'gpt-4o-mini',
    tokensPrompt: 12,
    tokensCompletion: 5,
    promptHash: `ph${i}`,
    promptClass: `pc${i % 5}`,
  };
}

export function feedbackRecord(i: number, kind: 'HUMAN' | 'LLM' | 'CODE' = 'HUMAN'): FeedbackRecord {
  return {
    feedbackId: `fb-${kind}-${i}`,
    timeUnixNano: 1_700_000_100_000_000_001n + BigInt(i),
    traceId: 'a' + (i + 1).toString(16).padStart(31, '0'),
    spanId: i % 2 === 0 ? 'b' + (i + 1).toString(16).padStart(15, '0') : '',
    sessionId: `session-${i % 4}`,
    name: 'user_feedback',
    score: i % 2 === 0 ? 1 : null,
    label: i % 2 === 0 ? 'thumbs_up' : 'thumbs_down',
    explanation: 'because',
    annotatorKind: kind,
    annotatorId: 'annotator-7',
    identifier: kind === 'HUMAN' ? '' : 'judge@3',
    origin: 'api',
    metadata: '{"k":1}',
  };
}

export function evaluationRecord(i: number): EvaluationRecord {
  return {
    traceId: 'a' + (i + 1).toString(16).padStart(31, '0'),
    spanId: 'b' + (i + 1).toString(16).padStart(15, '0'),
    timeUnixNano: 1_700_000_200_000_000_009n + BigInt(i),
    rubricId: 'concise',
    rubricVersion: '2',
    score: 0.75,
    label: 'pass',
    explanation: 'short enough',
    annotatorKind: 'CODE',
    metadata: '{"rubric_file_hash":"abc"}',
  };
}
