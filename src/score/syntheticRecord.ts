// Builds a SpanRecord from a prompt and a response, for offline scoring (calibration, benchmarks, gate runs).
import { OI } from '../conventions.js';
import type { ChatMessage, RetrievedDocument, SpanRecord } from '../records/types.js';

export interface SyntheticSpan {
  prompt: ChatMessage[];
  response: string;
  documents?: RetrievedDocument[];
  traceId?: string;
  spanId?: string;
  model?: string;
  serviceName?: string;
  promptClass?: string;
}

/** A complete LLM SpanRecord with the given content; ids default to zeros. */
export function syntheticRecord(s: SyntheticSpan): SpanRecord {
  return {
    span: {
      traceId: s.traceId ?? '0'.repeat(32),
      spanId: s.spanId ?? '0'.repeat(16),
      parentSpanId: '',
      traceState: '',
      name: 'llm',
      kind: 3,
      startTimeUnixNano: 0n,
      endTimeUnixNano: 0n,
      attributes: { [OI.spanKind]: 'LLM' },
      events: [],
      links: [],
      statusCode: 0,
      statusMessage: '',
      resource: {},
      scopeName: '',
      scopeVersion: '',
    },
    serviceName: s.serviceName ?? '',
    llmKind: 'LLM',
    isLlm: s.prompt.length > 0 && s.response !== '',
    prompt: s.prompt,
    response: s.response,
    documents: s.documents ?? [],
    sessionId: '',
    userId: '',
    model: s.model ?? '',
    tokensPrompt: 0,
    tokensCompletion: 0,
    promptHash: '',
    promptClass: s.promptClass ?? '',
  };
}
