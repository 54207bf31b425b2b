// Masking reaches names, keys and feedback ids (issue 30): an address in SpanName, ScopeName, ScopeVersion,
// TraceState, an attribute key, an event name, or feedback's name, session and annotator is not stored, and
// a session id masked on the span and on the feedback alike still joins them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/loadConfig.js';
import { TABLES } from '../../../src/names.js';
import { startPrefloop } from '../../../src/serve/startPrefloop.js';
import type { RunningPrefloop } from '../../../src/serve/startPrefloop.js';

const EMAIL = 'alice.secret@example.com';
const SESSION = `session-${EMAIL}`;
const TRACE = '0af7651916cd43dd8448eb211c80319c';
let dir: string;
let running: RunningPrefloop;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prefloop-mask-names-'));
  const config = parseConfig(
    `
receivers: { otlp: {} }
processors:
  masking: { builtin_patterns: [emails, cards, api_keys] }
exporters:
  clickhouse: { batch: { flush_interval: 100ms } }
service:
  pipelines: { traces: { receivers: [otlp], processors: [masking], exporters: [clickhouse] } }
`,
    'mask.yaml',
    {},
  );
  running = await startPrefloop({
    config,
    storeUrl: `embedded:${join(dir, 'store')}`,
    endpoint: '127.0.0.1:0',
  });
});

after(async () => {
  await running.close();
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
});

test('names, keys and feedback ids are masked, and session feedback joins its spans', async () => {
  const str = (stringValue: string) => ({ stringValue });
  const span = {
    traceId: TRACE,
    spanId: 'b7ad6b7169203331',
    traceState: `vendor=${EMAIL}`,
    name: `answer for ${EMAIL}`,
    kind: 1,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000001000000000',
    attributes: [
      { key: 'openinference.span.kind', value: str('LLM') },
      { key: 'session.id', value: str(SESSION) },
      { key: `user:${EMAIL}`, value: str('v') },
    ],
    events: [{ timeUnixNano: '1700000000500000000', name: `mailed ${EMAIL}`, attributes: [] }],
  };
  const traces = await fetch(`${running.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: str('svc') }] },
          scopeSpans: [{ scope: { name: `scope-${EMAIL}`, version: `v-${EMAIL}` }, spans: [span] }],
        },
      ],
    }),
  });
  assert.equal(traces.status, 200, await traces.text());
  const feedback = await fetch(`${running.url}/v1/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      session_id: SESSION,
      name: `rating-${EMAIL}`,
      annotator_id: EMAIL,
      score: 1,
    }),
  });
  assert.equal(feedback.status, 200, await feedback.text());
  await running.flush();

  const store = running.store;
  const leaks = await store.query<{ n: string }>(
    `SELECT count() AS n FROM ${TABLES.traces}
     WHERE positionCaseInsensitive(concat(SpanName, ScopeName, ScopeVersion, TraceState,
       arrayStringConcat(mapKeys(SpanAttributes)), arrayStringConcat(\`Events.Name\`)), 'example.com') > 0`,
  );
  assert.equal(leaks[0]!.n, '0', 'no address in names, keys, trace state or events');
  const [row] = await store.query<{ SpanName: string; SessionId: string; keys: string[] }>(
    `SELECT SpanName, SessionId, mapKeys(SpanAttributes) AS keys FROM ${TABLES.traces}`,
  );
  assert.match(row!.SpanName, /^answer for /);
  assert.ok(
    row!.keys.some((k) => k.startsWith('user:')),
    `the masked key is kept under its masked name: ${row!.keys.join(' ')}`,
  );
  const fb = await store.query<{ Name: string; SessionId: string; AnnotatorId: string }>(
    `SELECT Name, SessionId, AnnotatorId FROM ${TABLES.feedback}`,
  );
  assert.equal(fb.length, 1);
  for (const value of Object.values(fb[0]!)) assert.doesNotMatch(value, /example\.com/);
  assert.equal(fb[0]!.SessionId, row!.SessionId, 'the session id is masked alike on both sides');
  assert.notEqual(row!.SessionId, SESSION);
});
