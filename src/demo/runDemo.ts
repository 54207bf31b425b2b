// `prefloop demo`: the whole loop on a bundled sample — OTLP spans and feedback in, pairs built, JSONL out.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Link, Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { exportPairs } from '../export/exportPairs.js';
import type { ExportManifest } from '../export/exportPairs.js';
import { formatPairsSummary, pairsSummary } from '../export/pairsSummary.js';
import type { PairsSummary } from '../export/pairsSummary.js';
import { DEFAULTS, PATHS } from '../names.js';
import { annotationKey, OI } from '../conventions.js';
import type { ChatMessage } from '../records/types.js';
import { startPrefloop } from '../serve/startPrefloop.js';
import { clusterDemo, DEMO_FAILURES, traceFailures } from './demoClusters.js';
import { loadDemoSample } from './demoSample.js';
import type { DemoConversation } from './demoSample.js';

export interface DemoOptions {
  /** Folder for the embedded store (default: a new temp folder). */
  workdir?: string;
  /** Folder for the exported files (default: <workdir>/export). */
  out?: string;
  /** Sample file (default: examples/demo-conversations.json). */
  sample?: string;
  /** Where progress lines go (default: stdout). */
  log?: (line: string) => void;
}

export interface DemoResult {
  workdir: string;
  out: string;
  summary: PairsSummary;
  manifest: ExportManifest;
}

/**
 * An LLM span's attributes as the OpenInference OpenAI instrumentation writes them for a chat completion: the
 * request body as input.value, its parameters (no response_format: a plain-text request), and output.value the
 * raw API response, which is why output.mime_type is application/json whatever the answer is.
 */
function llmAttributes(prompt: ChatMessage[], response: string, sessionId: string): Record<string, string> {
  const request = { model: 'demo-model', messages: prompt };
  const a: Record<string, string> = {
    [OI.spanKind]: 'LLM',
    [OI.sessionId]: sessionId,
    [OI.modelName]: 'demo-model',
    'llm.system': 'openai',
    [OI.provider]: 'openai',
    [OI.inputValue]: JSON.stringify(request),
    [OI.inputMimeType]: 'application/json',
    [OI.invocationParameters]: JSON.stringify({ model: request.model }),
    [OI.outputValue]: JSON.stringify({
      object: 'chat.completion',
      model: request.model,
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: response } }],
    }),
    [OI.outputMimeType]: 'application/json',
  };
  prompt.forEach((m, i) => {
    a[`${OI.inputMessages}.${i}.${OI.messageRole}`] = m.role;
    a[`${OI.inputMessages}.${i}.${OI.messageContent}`] = m.content;
  });
  a[`${OI.outputMessages}.0.${OI.messageRole}`] = 'assistant';
  a[`${OI.outputMessages}.0.${OI.messageContent}`] = response;
  return a;
}

function thumb(up: boolean): Record<string, string | number> {
  return {
    [annotationKey('annotations', 0, 'name')]: DEFAULTS.feedbackName,
    [annotationKey('annotations', 0, 'score')]: up ? 1 : 0,
    [annotationKey('annotations', 0, 'annotator_kind')]: 'HUMAN',
  };
}

/** Start time of the next demo span, in ms: one second apart, ending now. */
let clock = 0;

/** Non-answers the demo adds to some conversations: a deflection, a refusal of a benign request, an echo. */
const NON_ANSWERS: ReadonlyArray<(question: string) => string> = [
  () => 'Dunno.',
  () => "I can't help with that.",
  (question) => question,
];

/** Emits one conversation's spans (with `nonAnswer`, one more answer of that kind); returns its API feedback. */
function traceConversation(
  tracer: Tracer,
  c: DemoConversation,
  nonAnswer?: (question: string) => string,
): Array<Record<string, unknown>> {
  const prompt: ChatMessage[] = [...c.history, { role: 'user', content: c.question }];
  const answer = (response: string, extra: Record<string, string | number> = {}) => {
    // Distinct, increasing start times: a regenerated answer must come after the one it replaces.
    clock += 1000;
    const span = tracer.startSpan('chat', {
      root: true,
      startTime: clock,
      attributes: { ...llmAttributes(prompt, response, c.session_id), ...extra },
    });
    span.end(clock + 500);
    return span.spanContext();
  };
  const api: Array<Record<string, unknown>> = [];
  // The same question answered with a non-answer nobody rated: the default rubrics must not prefer it.
  if (nonAnswer !== undefined) answer(nonAnswer(c.question));
  const route = c.feedback_route;
  if (route === 'regenerate') {
    // Thumbs down, regenerate; the user keeps the new answer without rating it.
    if (c.rejected !== null) answer(c.rejected, thumb(false));
    answer(c.chosen);
    return api;
  }
  const good = answer(c.chosen, route === 'annotation' ? thumb(true) : {});
  const bad =
    c.rejected !== null ? answer(c.rejected, route === 'annotation' ? thumb(false) : {}) : undefined;
  if (route === 'link') {
    for (const [target, up] of [
      [good, true],
      [bad, false],
    ] as const) {
      if (!target) continue;
      const links: Link[] = [{ context: target }];
      tracer.startSpan('user feedback', { root: true, links, attributes: thumb(up) }).end();
    }
  } else if (route === 'api') {
    api.push({ trace_id: good.traceId, span_id: good.spanId, label: 'thumbs_up', annotator_id: 'demo-user' });
    if (bad) api.push({ trace_id: bad.traceId, label: 'thumbs_down', annotator_id: 'demo-user' });
  }
  return api;
}

/** Runs the loop end to end and prints what it did and where the files are. */
export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(line + '\n'));
  const workdir = resolve(options.workdir ?? mkdtempSync(join(tmpdir(), 'prefloop-demo-')));
  const out = resolve(options.out ?? join(workdir, 'export'));
  const conversations = loadDemoSample(options.sample);
  const storeUrl = `embedded:${join(workdir, DEFAULTS.embeddedFolder)}`;
  log(`prefloop demo: ${conversations.length} sample conversations, store ${storeUrl}`);

  const prefloop = await startPrefloop({ storeUrl, endpoint: '127.0.0.1:0' });
  try {
    log(`1. pipeline listening on ${prefloop.url} (OTLP/HTTP ${PATHS.traces}, feedback ${PATHS.feedback})`);
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'prefloop-demo-app' }),
      spanProcessors: [
        new BatchSpanProcessor(new OTLPTraceExporter({ url: `${prefloop.url}${PATHS.traces}` })),
      ],
    });
    const tracer = provider.getTracer('prefloop-demo');
    clock = Date.now() - 1000 * (3 * (conversations.length + 1) + DEMO_FAILURES);
    const feedback = conversations.flatMap((c, i) =>
      traceConversation(tracer, c, i < NON_ANSWERS.length ? NON_ANSWERS[i] : undefined),
    );
    // Failing answers of two failure modes, for Path B (clusters).
    let failure = 0;
    const fixes = traceFailures((question, response) => {
      clock += 1000;
      const prompt: ChatMessage[] = [{ role: 'user', content: question }];
      const attributes = llmAttributes(prompt, response, `demo-failure-${failure++}`);
      const span = tracer.startSpan('chat', { root: true, startTime: clock, attributes });
      span.end(clock + 500);
      return span.spanContext();
    });
    await provider.forceFlush();
    await provider.shutdown();
    log(
      `2. sent the conversations' LLM spans over OTLP, shaped as the OpenInference OpenAI instrumentation sends them, ` +
        `${Math.min(NON_ANSWERS.length, conversations.length)} unrated non-answers among them, ` +
        `${DEMO_FAILURES} failing answers of two failure modes ` +
        `(thumbs as span annotations and linked feedback spans)`,
    );
    const res = await fetch(`${prefloop.url}${PATHS.feedback}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(feedback),
    });
    if (!res.ok) throw new Error(`demo: POST ${PATHS.feedback} answered ${res.status}: ${await res.text()}`);
    log(`3. posted ${feedback.length} thumbs to ${PATHS.feedback}`);
    await prefloop.flush();
    log('4. spans scored by the rubric file and sunk into ClickHouse; failing answers clustered (Path B):');
    await clusterDemo(prefloop.store, prefloop.url, fixes, log);
    log('   pairs built by the views:');
    const summary = await pairsSummary(prefloop.store);
    for (const line of formatPairsSummary(summary).split('\n')) log(`   ${line}`);
    const { manifest } = await exportPairs(prefloop.store, { format: 'dpo-chat', outDir: out });
    log(`5. exported ${manifest.records} pairs (dpo-chat, TRL conversational):`);
    log(`   ${join(out, 'train.jsonl')} (${manifest.files.train.records})`);
    log(`   ${join(out, 'holdout.jsonl')} (${manifest.files.holdout.records})`);
    log(`   ${join(out, 'manifest.json')}`);
    log(`try: prefloop sql --store ${storeUrl} "SELECT source, chosen, rejected FROM preference_pairs"`);
    log(
      `     prefloop cluster --store ${storeUrl} --min-cluster-size 4; prefloop clusters --store ${storeUrl}`,
    );
    return { workdir, out, summary, manifest };
  } finally {
    await prefloop.close();
  }
}
