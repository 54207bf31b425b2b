// Real OTLP/protobuf requests of OpenInference LLM spans with known ids, and a sender that counts what was acknowledged.
import { encodeTraceRequest } from '../../bench/otlpWire.js';
import type { WireSpan } from '../../bench/otlpWire.js';

export interface SpanRequest {
  body: Uint8Array;
  /** Lower-case hex span ids, as stored in otel_traces.SpanId. */
  spanIds: string[];
}

const hex = (n: bigint, width: number): string => n.toString(16).padStart(width, '0');

/** Trace id of span `seq` of run `runId` (one span per trace). */
export function traceIdOf(runId: number, seq: number): string {
  return hex((BigInt(runId) << 64n) | BigInt(seq + 1), 32);
}

/** Span `seq` of run `runId`: unique ids per (run, seq), a one-turn chat with an assistant answer. */
export function chatSpan(runId: number, seq: number): WireSpan {
  const start = 1_700_000_000_000_000_000n + BigInt(seq) * 1_000_000n;
  const prompt = `question ${seq % 17} of run ${runId}: how do I reset my password?`;
  const answer = `answer ${seq}: open Settings, then Security, then Reset password.`;
  return {
    traceId: traceIdOf(runId, seq),
    spanId: hex((BigInt(runId) << 32n) | BigInt(seq + 1), 16),
    name: 'ChatCompletion',
    kind: 3,
    startTimeUnixNano: start,
    endTimeUnixNano: start + 250_000_000n,
    attributes: [
      ['openinference.span.kind', 'LLM'],
      ['llm.model_name', 'test-model'],
      ['session.id', `session-${runId}-${seq >> 2}`],
      ['input.value', prompt],
      ['output.value', answer],
      ['llm.input_messages.0.message.role', 'user'],
      ['llm.input_messages.0.message.content', prompt],
      ['llm.output_messages.0.message.role', 'assistant'],
      ['llm.output_messages.0.message.content', answer],
    ],
    statusCode: 1,
  };
}

/** Requests of `perRequest` spans each, covering seq [from, from + count). */
export function spanRequests(runId: number, from: number, count: number, perRequest: number): SpanRequest[] {
  const out: SpanRequest[] = [];
  for (let seq = from; seq < from + count; seq += perRequest) {
    const spans: WireSpan[] = [];
    for (let i = seq; i < Math.min(from + count, seq + perRequest); i++) spans.push(chatSpan(runId, i));
    out.push({
      body: encodeTraceRequest([{ resource: [['service.name', 'fault-test']], spans }]),
      spanIds: spans.map((s) => s.spanId as string),
    });
  }
  return out;
}

export interface SendTally {
  /** Span ids of requests answered 200. */
  acknowledged: string[];
  /** Status → number of requests answered with it. */
  statuses: Map<number, number>;
  /** Retry-After values of refused requests. */
  retryAfter: string[];
}

/** POSTs each request to <baseUrl>/v1/traces in order; tallies the answers (never throws on a status). */
export async function sendAll(
  baseUrl: string,
  requests: SpanRequest[],
  tally?: SendTally,
): Promise<SendTally> {
  const t = tally ?? { acknowledged: [], statuses: new Map<number, number>(), retryAfter: [] };
  for (const r of requests) {
    const res = await fetch(`${baseUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: r.body,
    });
    await res.arrayBuffer();
    t.statuses.set(res.status, (t.statuses.get(res.status) ?? 0) + 1);
    if (res.status === 200) t.acknowledged.push(...r.spanIds);
    const retry = res.headers.get('retry-after');
    if (res.status !== 200 && retry !== null) t.retryAfter.push(retry);
  }
  return t;
}
