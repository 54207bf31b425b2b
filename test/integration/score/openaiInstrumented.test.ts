// The default rubric file on spans as a real app sends them: the `openai` SDK instrumented by OpenInference's
// OpenAI instrumentation, against a local OpenAI-compatible server, exported over OTLP into a running prefloop.
// A rubric that cannot judge a span gives no result; no pair-feeding rubric scores a non-answer as well as the
// helpful answer to the same question.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { OpenAIInstrumentation } from '@arizeai/openinference-instrumentation-openai';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import OpenAI from 'openai';
import { readFileSync } from 'node:fs';
import { exportPairs } from '../../../src/export/exportPairs.js';
import { PATHS } from '../../../src/names.js';
import { loadRubricFile } from '../../../src/score/RubricFile.js';
import { startPrefloop, type RunningPrefloop } from '../../../src/serve/startPrefloop.js';
import { packagePath } from '../../../src/paths.js';
import { startOpenAiServer, type OpenAiServer } from '../../helpers/openaiServer.js';

const SYSTEM = 'You are the support assistant of Acme Cloud.';

/** Support questions, each with a helpful answer. */
const QUESTIONS = [
  {
    question: 'How do I reset my password for the Acme Cloud console?',
    helpful:
      'Open the console sign-in page and choose Forgot password. Enter your account email, then follow the ' +
      'reset link we send you; it stays valid for one hour. Pick a new password of at least twelve characters.',
  },
  {
    question: 'How can I export my invoices as PDF files?',
    helpful:
      'Go to Billing, then Invoices. Select the months you need and press Download: each invoice is saved as ' +
      'a PDF file. For a whole year at once, choose Export all and you get a ZIP archive of the PDFs.',
  },
  {
    question: 'Why does my deployment fail with a quota exceeded error?',
    helpful:
      'Your project has reached its CPU quota for the region. Delete unused instances or request a higher ' +
      'quota under Settings, Quotas; approved requests apply within an hour. You can also deploy to another ' +
      'region with spare capacity.',
  },
];

/** Non-answers, by kind; `echo` repeats the question. */
const NON_ANSWERS: Record<string, (question: string) => string> = {
  dunno: () => 'Dunno.',
  refusal: () => "I can't help with that.",
  elsewhere: () => 'Ask someone else.',
  unclear: () => 'Unclear.',
  echo: (question) => question,
};

const JSON_QUESTION = 'Give the status of order 1234 as JSON with the fields status and eta.';
const JSON_ANSWER = '{"status": "shipped", "eta": "2026-12-10"}';
const THANKS = 'Ok, thanks!';

interface Sent {
  traceId: string;
  spanId: string;
  question: string;
  answer: string;
  kind: string;
  json: boolean;
}

let dir: string;
let llm: OpenAiServer;
let running: RunningPrefloop;
const sent: Sent[] = [];
/** Evaluations by span id: rubric id → score. */
const results = new Map<string, Map<string, number>>();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prefloop-openai-'));
  running = await startPrefloop({ storeUrl: `embedded:${join(dir, 'store')}`, endpoint: '127.0.0.1:0' });
  const answers: string[] = [];
  llm = await startOpenAiServer((_request, index) => ({ content: answers[index]! }));

  const memory = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'support-bot' }),
    spanProcessors: [
      new SimpleSpanProcessor(memory),
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `${running.url}${PATHS.traces}` })),
    ],
  });
  // ESM: the instrumentation cannot patch the module on import, so the SDK is instrumented by hand.
  const instrumentation = new OpenAIInstrumentation({ tracerProvider: provider });
  instrumentation.manuallyInstrument(OpenAI);
  const client = new OpenAI({ baseURL: llm.baseUrl, apiKey: 'test-key', maxRetries: 0 });

  const ask = async (question: string, answer: string, kind: string, json = false) => {
    answers.push(answer);
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: question },
      ],
      ...(json ? { response_format: { type: 'json_object' as const } } : {}),
    });
    const span = memory.getFinishedSpans().at(-1)!;
    const { traceId, spanId } = span.spanContext();
    sent.push({ traceId, spanId, question, answer, kind, json });
  };
  for (const { question, helpful } of QUESTIONS) {
    await ask(question, helpful, 'helpful');
    for (const [kind, make] of Object.entries(NON_ANSWERS)) await ask(question, make(question), kind);
  }
  await ask(JSON_QUESTION, JSON_ANSWER, 'helpful', true);
  await ask(JSON_QUESTION, 'Dunno.', 'dunno', true);
  await ask(THANKS, "You're welcome! Have a good day.", 'thanks');
  await provider.forceFlush();
  await provider.shutdown();
  await running.flush();

  const rows = await running.store.query<{ SpanId: string; Name: string; Score: number }>(
    "SELECT SpanId, Name, Score FROM evaluations FINAL WHERE Origin = 'prefloop'",
  );
  for (const r of rows) {
    let m = results.get(r.SpanId);
    if (!m) results.set(r.SpanId, (m = new Map()));
    m.set(r.Name, Number(r.Score));
  }
});

after(async () => {
  await running?.close();
  await llm?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The scores stored for a span (every span sent was stored and scored by something). */
function scoresOf(s: Sent): Map<string, number> {
  return results.get(s.spanId) ?? new Map<string, number>();
}

test('every span the instrumentation sent was stored', async () => {
  const ids = sent.map((s) => `'${s.spanId}'`).join(',');
  const [row] = await running.store.query<{ n: string }>(
    `SELECT count() AS n FROM otel_traces WHERE SpanId IN (${ids})`,
  );
  assert.equal(Number(row!.n), sent.length);
});

test('json_format judges only answers to requests that asked for JSON (not output.mime_type)', () => {
  for (const s of sent) {
    const score = scoresOf(s).get('json_format');
    if (!s.json)
      assert.equal(score, undefined, `json_format on a plain-text answer: ${s.kind} to "${s.question}"`);
  }
  const [valid, dunno] = sent.filter((s) => s.json);
  assert.equal(scoresOf(valid!).get('json_format'), 1);
  assert.equal(scoresOf(dunno!).get('json_format'), 0);
});

test('groundedness gives no result without documents or system context (a one-line system prompt is neither)', () => {
  for (const s of sent) assert.equal(scoresOf(s).get('groundedness'), undefined, `${s.kind}: ${s.answer}`);
});

test('completeness gives no result on a prompt that asks nothing', () => {
  const thanks = sent.find((s) => s.kind === 'thanks')!;
  assert.equal(scoresOf(thanks).get('completeness'), undefined);
  assert.ok(scoresOf(thanks).has('toxicity'), 'other rubrics still judge it');
});

test('no pair-feeding default rubric scores a non-answer as well as the helpful answer', () => {
  const rubrics = loadRubricFile(packagePath('collector-config', 'rubrics.yaml')).rubrics.filter(
    (r) => r.pairs !== null,
  );
  assert.ok(rubrics.length >= 4);
  let compared = 0;
  for (const helpful of sent.filter((s) => s.kind === 'helpful')) {
    const good = scoresOf(helpful);
    for (const bad of sent.filter((s) => s.question === helpful.question && s.kind !== 'helpful')) {
      for (const rubric of rubrics) {
        const b = scoresOf(bad).get(rubric.id);
        if (b === undefined) continue;
        const g = good.get(rubric.id);
        const what = `${rubric.id}: "${bad.answer}" (${b}) against the helpful answer (${g})`;
        assert.notEqual(g, undefined, what);
        assert.ok(rubric.higherIsBetter ? g! > b : g! < b, what);
        compared++;
      }
    }
  }
  // completeness on every non-answer, json_format on the JSON one.
  assert.ok(compared >= QUESTIONS.length * Object.keys(NON_ANSWERS).length, `${compared} comparisons`);
});

test('with human thumbs, every thumbs pair survives export and no exported pair prefers a non-answer', async () => {
  // Thumbs on every question: up on the helpful answer, down on two non-answers (the report: rubric
  // pairs that preferred "Dunno." removed the human pairs as contradictions).
  const thumbs = sent
    .filter((s) => !s.json && s.kind !== 'thanks')
    .filter((s) => s.kind === 'helpful' || s.kind === 'dunno' || s.kind === 'elsewhere')
    .map((s) => ({
      trace_id: s.traceId,
      span_id: s.spanId,
      label: s.kind === 'helpful' ? 'thumbs_up' : 'thumbs_down',
    }));
  const res = await fetch(`${running.url}${PATHS.feedback}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(thumbs),
  });
  assert.equal(res.status, 200, await res.text());
  await running.flush();

  const out = join(dir, 'export');
  await exportPairs(running.store, { format: 'dpo', outDir: out, includeUngated: true });
  const pairs = ['train.jsonl', 'holdout.jsonl'].flatMap((f) =>
    readFileSync(join(out, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { chosen: string; rejected: string; source?: string }),
  );
  const nonAnswers = new Set(
    sent.filter((s) => s.kind !== 'helpful' && s.kind !== 'thanks').map((s) => s.answer),
  );
  for (const { question, helpful } of QUESTIONS) {
    for (const bad of ['Dunno.', 'Ask someone else.']) {
      assert.ok(
        pairs.some((p) => p.chosen === helpful && p.rejected === bad),
        `the thumbs pair "${helpful.slice(0, 30)}…" over "${bad}" (${question}) is exported`,
      );
    }
  }
  // Even with ungated rubric pairs included, none chooses a non-answer over a helpful one.
  const helpfulAnswers = new Set(QUESTIONS.map((q) => q.helpful));
  for (const p of pairs)
    assert.ok(
      !(nonAnswers.has(p.chosen) && helpfulAnswers.has(p.rejected)),
      `exported pair prefers "${p.chosen}" over a helpful answer (${p.source ?? '?'})`,
    );
});
