// Realistic OpenInference LLM spans for benchmarks and tests: HH-RLHF conversations from the repository's
// data/hh-rlhf/ when the file is at hand, else a small bundled generator with the same shape.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { HH_RLHF_TEST } from '../test/helpers/hhData.js';
import type { WireAttr, WireResourceSpans, WireSpan } from './otlpWire.js';
import { encodeTraceRequest } from './otlpWire.js';

/** The HH-RLHF sample: the repository's copy unless PREFLOOP_HH_RLHF names another file. */
export const HH_RLHF_FILE = process.env.PREFLOOP_HH_RLHF ?? HH_RLHF_TEST;

export interface Conversation {
  messages: { role: 'user' | 'assistant'; content: string }[];
  reply: string;
}

/** Parses `\n\nHuman: …\n\nAssistant: …` transcripts; the last assistant turn is the reply. */
export function parseTranscript(text: string): Conversation | undefined {
  const turns = text.split(/\n\n(?=Human: |Assistant: )/).filter((t) => t.length > 0);
  const messages = turns.map((t) =>
    t.startsWith('Human: ')
      ? { role: 'user' as const, content: t.slice(7) }
      : { role: 'assistant' as const, content: t.replace(/^Assistant: ?/, '') },
  );
  const last = messages.pop();
  if (!last || last.role !== 'assistant' || messages.length === 0) return undefined;
  return { messages, reply: last.content };
}

/** Conversations from HH-RLHF (chosen and rejected transcripts), or generated ones; `source` says which. */
export function loadConversations(limit = Infinity): { conversations: Conversation[]; source: string } {
  if (existsSync(HH_RLHF_FILE)) {
    const lines = gunzipSync(readFileSync(HH_RLHF_FILE)).toString('utf8').split('\n');
    const conversations: Conversation[] = [];
    for (const line of lines) {
      if (!line || conversations.length >= limit) continue;
      const pair = JSON.parse(line) as { chosen: string; rejected: string };
      for (const t of [pair.chosen, pair.rejected]) {
        const c = parseTranscript(t);
        if (c) conversations.push(c);
      }
    }
    return { conversations, source: `HH-RLHF harmless-base test (${conversations.length} transcripts)` };
  }
  return { conversations: generateConversations(Math.min(limit, 500)), source: 'bundled generator' };
}

const TOPICS = ['billing', 'a refund', 'my password', 'the API limits', 'a recipe', 'tax forms', 'a poem'];
const OPENERS = [
  'Can you help me with',
  'I have a question about',
  'Please explain',
  'What do you know about',
];

/** Deterministic conversations of realistic length (a few hundred characters) for when data is missing. */
export function generateConversations(n: number): Conversation[] {
  const out: Conversation[] = [];
  for (let i = 0; i < n; i++) {
    const topic = TOPICS[i % TOPICS.length]!;
    const opener = OPENERS[(i >> 2) % OPENERS.length]!;
    const turns = 1 + (i % 3);
    const messages: Conversation['messages'] = [];
    for (let t = 0; t < turns; t++) {
      messages.push({
        role: 'user',
        content: `${opener} ${topic}? This is question ${i}.${t}, with some detail `.repeat(2),
      });
      if (t < turns - 1)
        messages.push({ role: 'assistant', content: `Here is what I know about ${topic}. `.repeat(4) });
    }
    out.push({
      messages,
      reply: `Sure. About ${topic}: `.repeat(3) + (i % 5 === 0 ? 'I cannot help with that.' : 'Done.'),
    });
  }
  return out;
}

const hex = (n: bigint, width: number) => n.toString(16).padStart(width, '0');

/** One OpenInference LLM span for conversation `c`, ids derived from `seq` (unique per run with `runId`). */
export function llmSpan(c: Conversation, seq: number, runId = 1): WireSpan {
  const attributes: WireAttr[] = [
    ['openinference.span.kind', 'LLM'],
    ['llm.model_name', 'bench-model-1'],
    ['llm.provider', 'bench'],
    ['session.id', `session-${runId}-${seq >> 3}`],
    ['user.id', `user-${seq % 97}`],
    ['input.value', c.messages[c.messages.length - 1]!.content],
    ['output.value', c.reply],
    ['llm.token_count.prompt', 12 + (seq % 400)],
    ['llm.token_count.completion', 8 + (seq % 200)],
  ];
  c.messages.forEach((m, i) => {
    attributes.push([`llm.input_messages.${i}.message.role`, m.role]);
    attributes.push([`llm.input_messages.${i}.message.content`, m.content]);
  });
  attributes.push(['llm.output_messages.0.message.role', 'assistant']);
  attributes.push(['llm.output_messages.0.message.content', c.reply]);
  const start = 1_700_000_000_000_000_000n + BigInt(seq) * 1_000_000n;
  return {
    traceId: hex((BigInt(runId) << 64n) | BigInt(seq + 1), 32),
    spanId: hex(BigInt(seq + 1), 16),
    name: 'ChatCompletion',
    kind: 3,
    startTimeUnixNano: start,
    endTimeUnixNano: start + 850_000_000n,
    attributes,
    statusCode: 1,
  };
}

export const BENCH_RESOURCE: WireAttr[] = [
  ['service.name', 'bench-chat'],
  ['telemetry.sdk.name', 'opentelemetry'],
];

/**
 * The conversation as its `round`-th reuse: every message and the reply carry a round mark, so no text recurs
 * across the bench. With ~4,600 transcripts and 60,000 spans each would otherwise come back ~13 times word for
 * word, and anything remembered by text (the rubrics remember per-message analyses, which real multi-turn
 * traffic does repeat within a session) would look cheaper than on real traffic.
 */
export function variant(c: Conversation, round: number): Conversation {
  if (round === 0) return c;
  const mark = (text: string) => `${text} (${round})`;
  return {
    messages: c.messages.map((m) => ({ role: m.role, content: mark(m.content) })),
    reply: mark(c.reply),
  };
}

/**
 * Pre-encoded protobuf request bodies of `perRequest` LLM spans each, `total` spans in all: the bench's spans
 * `from` to `from + total` (those past the first `from` reuse the transcripts later, so none repeats them).
 */
export function encodeBodies(
  conversations: Conversation[],
  total: number,
  perRequest: number,
  runId = 1,
  from = 0,
): { bodies: Uint8Array[]; spans: number; bytes: number } {
  const bodies: Uint8Array[] = [];
  let bytes = 0;
  const end = from + total;
  for (let seq = from; seq < end; seq += perRequest) {
    const spans: WireSpan[] = [];
    for (let i = seq; i < Math.min(end, seq + perRequest); i++)
      spans.push(
        llmSpan(
          variant(conversations[i % conversations.length]!, Math.floor(i / conversations.length)),
          i,
          runId,
        ),
      );
    const group: WireResourceSpans = { resource: BENCH_RESOURCE, spans };
    // A Buffer, as the receiver hands the decoder (protobufjs reads strings from Buffers natively).
    const body = Buffer.from(encodeTraceRequest([group]));
    bodies.push(body);
    bytes += body.length;
  }
  return { bodies, spans: total, bytes };
}
