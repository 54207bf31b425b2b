// Seeded fuzzing: real OTLP bodies with random byte mutations. Every answer is 200 or 400 (never 5xx,
// never a crash), and whatever was accepted decoded to valid spans the normaliser can read.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { encodeTraceRequest } from '../../../bench/otlpWire.js';
import { generateConversations, llmSpan } from '../../../bench/llmSpans.js';
import { normalizeSpan } from '../../../src/normalize/normalizeSpan.js';
import type { RunningReceiver } from './harness.js';
import { assertStillServes, isValidDecodedSpan, send, startReceiver } from './harness.js';
import { prng } from '../../helpers/prng.js';

const MAX_CASES = 2_000;
const MAX_MS = 15_000;
const SEED = 0x5eed_f00d;

function mutate(input: Uint8Array, rand: () => number): Uint8Array {
  const bytes = Array.from(input);
  const edits = 1 + Math.floor(rand() * 4);
  for (let e = 0; e < edits && bytes.length > 0; e++) {
    const at = Math.floor(rand() * bytes.length);
    switch (Math.floor(rand() * 6)) {
      case 0: // flip a bit
        bytes[at]! ^= 1 << Math.floor(rand() * 8);
        break;
      case 1: // insert random bytes
        bytes.splice(
          at,
          0,
          ...Array.from({ length: 1 + Math.floor(rand() * 8) }, () => Math.floor(rand() * 256)),
        );
        break;
      case 2: // delete a range
        bytes.splice(at, 1 + Math.floor(rand() * 16));
        break;
      case 3: // truncate
        bytes.length = at;
        break;
      case 4: // an interesting byte (varint continuation, max, zero)
        bytes[at] = [0x00, 0x7f, 0x80, 0xff][Math.floor(rand() * 4)]!;
        break;
      default: {
        // duplicate a slice somewhere else
        const len = 1 + Math.floor(rand() * 32);
        const slice = bytes.slice(at, at + len);
        bytes.splice(Math.floor(rand() * bytes.length), 0, ...slice);
      }
    }
  }
  return Uint8Array.from(bytes);
}

function jsonBody(seq: number): Uint8Array {
  const id = (n: number, w: number) => n.toString(16).padStart(w, '0');
  return Buffer.from(
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'fuzz' } }] },
          scopeSpans: [
            {
              scope: { name: 'fuzz' },
              spans: [
                {
                  traceId: id(seq + 1, 32),
                  spanId: id(seq + 1, 16),
                  name: 'chat',
                  kind: 3,
                  startTimeUnixNano: '1700000000000000000',
                  endTimeUnixNano: '1700000000100000000',
                  attributes: [
                    { key: 'openinference.span.kind', value: { stringValue: 'LLM' } },
                    { key: 'input.value', value: { stringValue: 'hello' } },
                    { key: 'llm.token_count.prompt', value: { intValue: '12' } },
                    {
                      key: 'tags',
                      value: { arrayValue: { values: [{ stringValue: 'a' }, { boolValue: true }] } },
                    },
                  ],
                  events: [{ timeUnixNano: '1700000000050000000', name: 'e', attributes: [] }],
                  status: { code: 1 },
                },
              ],
            },
          ],
        },
      ],
    }),
  );
}

let r: RunningReceiver;
before(async () => {
  r = await startReceiver({ maxBodyBytes: 4 * 1024 * 1024 });
});
after(async () => {
  await r.close();
});

test(`fuzz: ${MAX_CASES} seeded mutations of real OTLP bodies never 5xx and never accept invalid spans`, async () => {
  const rand = prng(SEED);
  const conversations = generateConversations(20);
  const seeds: { body: Uint8Array; type: string; gzip: boolean }[] = [];
  for (let i = 0; i < 4; i++) {
    const spans = Array.from({ length: 1 + i }, (_, k) => ({
      ...llmSpan(conversations[(i * 5 + k) % conversations.length]!, i * 10 + k),
      events: [
        {
          timeUnixNano: 1n,
          name: 'gen_ai.evaluation.result',
          attributes: [['gen_ai.evaluation.score.value', 0.5] as [string, number]],
        },
      ],
      ...(k > 0 ? { parentSpanId: (i * 10 + 1).toString(16).padStart(16, '0') } : {}),
    }));
    seeds.push({
      body: encodeTraceRequest([{ resource: [['service.name', 'fuzz']], spans }]),
      type: 'application/x-protobuf',
      gzip: false,
    });
  }
  seeds.push({ body: jsonBody(7), type: 'application/json', gzip: false });
  seeds.push({ body: gzipSync(seeds[1]!.body), type: 'application/x-protobuf', gzip: true });

  const statuses = new Map<number, number>();
  const started = Date.now();
  let cases = 0;
  for (; cases < MAX_CASES && Date.now() - started < MAX_MS; cases++) {
    const seed = seeds[cases % seeds.length]!;
    const body = mutate(seed.body, rand);
    const before = r.intake.spans.length;
    const reply = await send(r.url, {
      headers: { 'content-type': seed.type, ...(seed.gzip ? { 'content-encoding': 'gzip' } : {}) },
      body,
    });
    statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
    assert.ok(
      reply.status === 200 || reply.status === 400,
      `case ${cases} (${seed.type}${seed.gzip ? ', gzip' : ''}) answered ${reply.status}: ${reply.body.toString().slice(0, 200)}; body hex ${Buffer.from(body).toString('hex').slice(0, 400)}`,
    );
    if (reply.status !== 200)
      assert.equal(r.intake.spans.length, before, `case ${cases}: a 400 offered spans`);
    for (const span of r.intake.spans.slice(before)) {
      assert.ok(
        isValidDecodedSpan(span),
        `case ${cases}: accepted an invalid span ${span.traceId}/${span.spanId}`,
      );
      assert.doesNotThrow(() => normalizeSpan(span));
    }
  }
  assert.ok(cases >= 100, `only ${cases} cases ran`);
  assert.ok((statuses.get(400) ?? 0) > 0, 'some mutations are rejected');
  assert.ok((statuses.get(200) ?? 0) > 0, 'some mutations still decode');
  await assertStillServes(r);
});
