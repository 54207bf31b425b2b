// JSON input may carry lone UTF-16 surrogates ("\ud800"): valid JSON, not valid Unicode. ClickHouse refuses
// such an escape, and with it the whole insert; prefloop stores U+FFFD instead (what a UTF-8 decoder does
// with invalid bytes), so the span, its feedback and its batch-mates all land.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchServer } from '../../../bench/server.js';
import { TABLES } from '../../../src/names.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { JSON_TYPE, send } from './harness.js';

const TRACE = '5b8efff798038103d269b633813fc60c';

function jsonSpan(spanId: string, attributes: [string, string][]) {
  return {
    traceId: TRACE,
    spanId,
    name: 'chat',
    kind: 3,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000001000000000',
    attributes: attributes.map(([key, value]) => ({ key, value: { stringValue: value } })),
  };
}

test('lone surrogates in OTLP/JSON spans and feedback are stored as U+FFFD; nothing is dropped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-hostile-surrogate-'));
  const server = await startBenchServer(`embedded:${dir}`, true);
  let stopped = false;
  try {
    const url = `http://127.0.0.1:${server.port}`;
    // Written as JSON escapes: JSON.stringify would keep them, the point is what the server receives.
    const body = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                jsonSpan('00f067aa0ba902b7', [
                  ['openinference.span.kind', 'LLM'],
                  ['input.value', 'high \ud800 alone'],
                  ['output.value', 'low \udc00 alone, pair 😀, text \\ud800'],
                  ['key\udfff', 'a lone surrogate in a key'],
                ]),
                jsonSpan('00f067aa0ba902b8', [['openinference.span.kind', 'LLM']]),
              ],
            },
          ],
        },
      ],
    });
    assert.ok(body.includes('\\ud800'), 'the request carries the escape itself');
    assert.equal((await send(url, { headers: JSON_TYPE, body })).status, 200);
    const feedback = JSON.stringify({
      trace_id: TRACE,
      label: 'thumbs_down',
      explanation: 'bad \ud83d answer',
    });
    assert.equal((await send(url, { path: '/v1/feedback', headers: JSON_TYPE, body: feedback })).status, 200);
    await server.stop();
    stopped = true;

    const store = new ChdbStore(dir, 'prefloop');
    try {
      const spans = await store.query<{ SpanId: string; input: string; output: string; key: string }>(
        `SELECT SpanId, SpanAttributes['input.value'] AS input, SpanAttributes['output.value'] AS output,
                SpanAttributes['key\uFFFD'] AS key
         FROM ${TABLES.traces} ORDER BY SpanId`,
      );
      assert.equal(spans.length, 2, 'both spans stored');
      assert.equal(spans[0]!.input, 'high \uFFFD alone');
      assert.equal(spans[0]!.output, 'low \uFFFD alone, pair 😀, text \\ud800');
      assert.equal(spans[0]!.key, 'a lone surrogate in a key');
      const [fb] = await store.query<{ Explanation: string }>(`SELECT Explanation FROM ${TABLES.feedback}`);
      assert.equal(fb?.Explanation, 'bad \uFFFD answer');
    } finally {
      await store.close();
    }
  } finally {
    if (!stopped) await server.stop();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
});
