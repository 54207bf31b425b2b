// PrefloopStoreExporter in a real OpenTelemetry SDK writing to embedded chDB: the rows serve would write.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { normalizeSpan } from '../../../src/normalize/normalizeSpan.js';
import { openStore } from '../../../src/sink/openStore.js';
import { evaluationRow } from '../../../src/sink/rows.js';
import { PrefloopStoreExporter } from '../../../src/sdk/PrefloopStoreExporter.js';
import { loadRubricFile } from '../../../src/score/RubricFile.js';
import { RubricSpanProcessor, toDecodedSpan } from '../../../src/sdk/RubricSpanProcessor.js';
import { Scorer } from '../../../src/score/Scorer.js';

const set = loadRubricFile('collector-config/rubrics.yaml');

function llm(question: string, answer: string, extra: Record<string, string | number> = {}) {
  return {
    'openinference.span.kind': 'LLM',
    'llm.model_name': 'gpt-4o-mini',
    'llm.input_messages.0.message.role': 'user',
    'llm.input_messages.0.message.content': question,
    'llm.output_messages.0.message.role': 'assistant',
    'llm.output_messages.0.message.content': answer,
    ...extra,
  };
}

interface EvaluationDbRow {
  Timestamp: string;
  TraceId: string;
  SpanId: string;
  Name: string;
  Score: number | null;
  Label: string;
  Explanation: string;
  AnnotatorKind: string;
  Identifier: string;
  RubricVersion: string;
  Origin: string;
  Metadata: string;
  EvaluationId: string;
}

test('spans and their rubric results land in otel_traces / evaluations exactly as serve scores them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-exporter-'));
  const store = await openStore(`embedded:${dir}`);
  try {
    const exporter = new PrefloopStoreExporter({ store });
    const seen = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'support-bot' }),
      spanProcessors: [
        new RubricSpanProcessor(new SimpleSpanProcessor(exporter), new Scorer(set)),
        new SimpleSpanProcessor(seen),
      ],
    });
    const tracer = provider.getTracer('app', '1.2.3');

    const root = tracer.startSpan('handle request', { startTime: [1_700_000_000, 123_456_789] });
    const ctx = trace.setSpan(context.active(), root);
    const good = tracer.startSpan('chat', { startTime: [1_700_000_001, 1] }, ctx);
    good.setAttributes(
      llm(
        'How do I reset my router password?',
        'Hold the reset button on the back of the router for ten seconds, then log in with the default password printed on the label.',
      ),
    );
    good.end([1_700_000_002, 999_999_999]);
    const bad = tracer.startSpan('chat', { startTime: [1_700_000_003, 5] }, ctx);
    // An upstream evaluation already on the span: it must be stored as the upstream result it is.
    bad.setAttributes(
      llm('Who should I email?', 'Email ann@example.com, you idiot', {
        'evaluations.0.evaluation.name': 'upstream_check',
        'evaluations.0.evaluation.score': 0.25,
        'evaluations.0.evaluation.annotator_kind': 'CODE',
      }),
    );
    bad.end([1_700_000_004, 0]);
    root.end([1_700_000_005, 0]);
    await provider.forceFlush();

    const finished = seen.getFinishedSpans();
    assert.equal(finished.length, 3);
    const traces = await store.query<{
      TraceId: string;
      SpanId: string;
      ParentSpanId: string;
      SpanName: string;
      Timestamp: string;
      Duration: string;
      ServiceName: string;
      ScopeVersion: string;
      Response: string;
    }>(
      `SELECT TraceId, SpanId, ParentSpanId, SpanName, toString(toUnixTimestamp64Nano(Timestamp)) AS Timestamp, toString(Duration) AS Duration,
              ServiceName, ScopeVersion, Response
       FROM ${store.database}.otel_traces ORDER BY Timestamp`,
    );
    assert.equal(traces.length, 3);
    const bySpan = new Map(traces.map((t) => [t.SpanId, t]));
    for (const s of finished) {
      const row = bySpan.get(s.spanContext().spanId);
      assert.ok(row, `span ${s.name} stored`);
      assert.equal(row.TraceId, s.spanContext().traceId);
      assert.equal(row.ParentSpanId, s.parentSpanContext?.spanId ?? '');
      assert.equal(row.ServiceName, 'support-bot');
      assert.equal(row.ScopeVersion, '1.2.3');
    }
    assert.deepEqual(
      traces.map((t) => [t.Timestamp, t.Duration]),
      [
        ['1700000000123456789', '4876543211'],
        ['1700000001000000001', '1999999998'],
        ['1700000003000000005', '999999995'],
      ],
    );

    const evaluations = await store.query<EvaluationDbRow>(
      `SELECT toString(Timestamp) AS Timestamp, TraceId, SpanId, Name, Score, Label, Explanation, AnnotatorKind,
              Identifier, RubricVersion, Origin, Metadata, EvaluationId
       FROM ${store.database}.evaluations ORDER BY SpanId, Origin, Name`,
    );
    // What serve would write for the same spans (evaluation attributes do not change what the rubrics read).
    const fresh = new Scorer(set, { skipJudges: true });
    const expected = finished
      .filter((s) => s.name === 'chat')
      .flatMap((s) => fresh.scoreSync(normalizeSpan(toDecodedSpan(s))))
      .map(evaluationRow);
    assert.ok(expected.length >= 10, 'the default rubric file scores both LLM spans');
    const ours = evaluations.filter((e) => e.Origin === 'prefloop');
    // Every column but the scoring moment (each Scorer reads its own clock).
    const sorted = <T extends { SpanId: string; Name: string }>(rows: T[]) =>
      rows.sort((a, b) => `${a.SpanId}/${a.Name}`.localeCompare(`${b.SpanId}/${b.Name}`));
    assert.deepEqual(
      sorted(ours.map(({ Timestamp: _t, ...rest }) => rest)),
      sorted(expected.map(({ Timestamp: _t, SessionId: _s, AnnotatorId: _a, ...rest }) => rest)),
    );
    assert.ok(ours.some((e) => e.Name === 'toxicity' && e.Label === 'toxic'));
    assert.ok(ours.some((e) => e.Name === 'pii_leakage' && e.Label === 'leak'));

    const upstream = evaluations.filter((e) => e.Origin !== 'prefloop');
    assert.equal(upstream.length, 1, 'only the upstream result, not the processor’s own attributes again');
    assert.equal(upstream[0]!.Name, 'upstream_check');
    assert.equal(upstream[0]!.Score, 0.25);
    assert.equal(upstream[0]!.SpanId, bad.spanContext().spanId);

    await provider.shutdown();
    const after = await new Promise<ExportResult>((resolve) => exporter.export([], resolve));
    assert.equal(after.code, ExportResultCode.FAILED, 'export after shutdown fails');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
});

test('used without the processor, the exporter scores spans itself when given a scorer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-exporter-'));
  const store = await openStore(`embedded:${dir}`);
  try {
    const exporter = new PrefloopStoreExporter({ store, scorer: new Scorer(set) });
    const seen = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter), new SimpleSpanProcessor(seen)],
    });
    const span = provider.getTracer('app').startSpan('chat');
    span.setAttributes(llm('Who should I email?', 'Email ann@example.com, you idiot'));
    span.end();
    await provider.forceFlush();
    const [finished] = seen.getFinishedSpans();
    assert.ok(finished);
    await provider.shutdown();
    const expected = new Scorer(set, { skipJudges: true }).scoreSync(normalizeSpan(toDecodedSpan(finished)));
    const rows = await store.query<{ Name: string; Score: number; Label: string; Attr: string }>(
      `SELECT e.Name AS Name, e.Score AS Score, e.Label AS Label,
              t.SpanAttributes['evaluations.0.evaluation.name'] AS Attr
       FROM ${store.database}.evaluations AS e
       JOIN ${store.database}.otel_traces AS t ON t.SpanId = e.SpanId ORDER BY Name`,
    );
    assert.deepEqual(
      rows.map((r) => [r.Name, r.Score, r.Label]),
      expected
        .map((e) => [e.rubricId, e.score, e.label])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    assert.equal(rows[0]!.Attr, expected[0]!.rubricId, 'the stored span carries the evaluation attributes');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
});

test('export answers FAILED exactly once per call when the store is unreachable; shutdown runs once', async () => {
  const exporter = new PrefloopStoreExporter({ store: 'http://127.0.0.1:1/nope', scorer: new Scorer(set) });
  const provider = new BasicTracerProvider();
  const span = provider.getTracer('app').startSpan('chat');
  span.setAttributes(llm('hi', 'hello there, how can I help you today?'));
  span.end();
  const results: ExportResult[] = [];
  for (let i = 0; i < 2; i++) exporter.export([span as unknown as ReadableSpan], (r) => results.push(r));
  await exporter.forceFlush();
  assert.equal(results.length, 2);
  for (const r of results) {
    assert.equal(r.code, ExportResultCode.FAILED);
    assert.match(String(r.error?.message), /PrefloopStoreExporter: migrating http:\/\/127\.0\.0\.1:1/);
  }
  await Promise.all([exporter.shutdown(), exporter.shutdown()]);
});

test('results the SDK dropped past its attribute limit are still stored, once each', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-exporter-'));
  const store = await openStore(`embedded:${dir}`);
  try {
    const exporter = new PrefloopStoreExporter({ store });
    const seen = new InMemorySpanExporter();
    // 6 span attributes + 2 whole results (7 keys each) + the first 3 keys of a third fit; the rest is dropped.
    const provider = new BasicTracerProvider({
      spanLimits: { attributeCountLimit: 23 },
      spanProcessors: [
        new RubricSpanProcessor(new SimpleSpanProcessor(exporter), new Scorer(set)),
        new SimpleSpanProcessor(seen),
      ],
    });
    const span = provider.getTracer('app').startSpan('chat');
    span.setAttributes(llm('Who should I email?', 'Email ann@example.com, you idiot'));
    span.end();
    await provider.forceFlush();
    const [finished] = seen.getFinishedSpans();
    assert.ok(finished);
    assert.ok(finished.droppedAttributesCount > 0, 'the SDK dropped evaluation attributes');
    await provider.shutdown();

    const expected = new Scorer(set, { skipJudges: true }).scoreSync(normalizeSpan(toDecodedSpan(finished)));
    assert.ok(expected.length > 2);
    const rows = await store.query<{ Name: string; Label: string }>(
      `SELECT Name, Label FROM ${store.database}.evaluations WHERE Origin = 'prefloop' ORDER BY Name`,
    );
    assert.deepEqual(
      rows.map((r) => [r.Name, r.Label]),
      expected.map((e) => [e.rubricId, e.label]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    const [kept] = await store.query<{ n: string }>(
      `SELECT length(arrayFilter(k -> endsWith(k, '.evaluation.metadata'), mapKeys(SpanAttributes))) AS n
       FROM ${store.database}.otel_traces`,
    );
    assert.equal(Number(kept!.n), 2, 'the stored span is the one the SDK exported');
    const [upstream] = await store.query<{ n: string }>(
      `SELECT count() AS n FROM ${store.database}.evaluations WHERE Origin != 'prefloop'`,
    );
    assert.equal(Number(upstream!.n), 0, 'the result cut short is not read back as an upstream one');
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
});
