// The HH fidelity test's production path: conversations sent as real OTLP (proto exporter, batched)
// and feedback through all three routes to a running `startPrefloop` pipeline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Link } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { PATHS } from '../../../src/names.js';
import { annotationKey, OI } from '../../../src/conventions.js';
import type { ChatMessage } from '../../../src/records/types.js';
import { startPrefloop } from '../../../src/serve/startPrefloop.js';
import type { Store } from '../../../src/sink/Store.js';
import type { Conversation } from './hhFidelity.test.js';

const BASE_MS = 1_704_067_200_000;

function llmAttributes(prompt: ChatMessage[], response: string, sessionId: string): Record<string, string> {
  const a: Record<string, string> = { [OI.spanKind]: 'LLM', [OI.sessionId]: sessionId };
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
    [annotationKey('annotations', 0, 'name')]: 'user_feedback',
    [annotationKey('annotations', 0, 'score')]: up ? 1 : 0,
    [annotationKey('annotations', 0, 'annotator_kind')]: 'HUMAN',
  };
}

/** Starts the pipeline on a temp folder, sends everything, waits for the sink; the caller closes. */
export async function sendThroughPipeline(
  convs: Conversation[],
): Promise<{ store: Store; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-hh-pipe-'));
  const prefloop = await startPrefloop({ storeUrl: `embedded:${dir}`, endpoint: '127.0.0.1:0' });
  // A loaded shared machine can take past the 10 s default to store a 1,000-span batch.
  const exporter = new OTLPTraceExporter({ url: `${prefloop.url}${PATHS.traces}`, timeoutMillis: 120_000 });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'hh-app' }),
    spanProcessors: [
      new BatchSpanProcessor(exporter, {
        maxExportBatchSize: 1000,
        maxQueueSize: 50_000,
        scheduledDelayMillis: 20,
      }),
    ],
  });
  const tracer = provider.getTracer('hh-fidelity');
  const api: Array<Record<string, unknown>> = [];
  const at = (s: number) => BASE_MS + s * 1000;

  for (const c of convs) {
    c.turns.forEach((t, j) => {
      tracer
        .startSpan('llm', {
          root: true,
          startTime: at(c.time + j),
          attributes: llmAttributes(t.prompt, t.response, c.sessionId),
        })
        .end(at(c.time + j + 0.5));
    });
    const order = c.index % 2 === 0 ? 1 : -1;
    const goodAttrs = llmAttributes(c.chosen.prompt, c.chosen.response, c.sessionId);
    const badAttrs = llmAttributes(c.rejected.prompt, c.rejected.response, c.sessionId);
    if (c.route === 'annotation') {
      Object.assign(goodAttrs, thumb(true));
      Object.assign(badAttrs, thumb(false));
    }
    const good = tracer.startSpan('llm', {
      root: true,
      startTime: at(c.time + 50 - order),
      attributes: goodAttrs,
    });
    good.end(at(c.time + 50.5 - order));
    const bad = tracer.startSpan('llm', {
      root: true,
      startTime: at(c.time + 50 + order),
      attributes: badAttrs,
    });
    bad.end(at(c.time + 50.5 + order));
    if (c.route === 'link') {
      for (const [target, up] of [
        [good, true],
        [bad, false],
      ] as const) {
        const links: Link[] = [{ context: target.spanContext() }];
        tracer
          .startSpan('feedback', { root: true, startTime: at(c.time + 90), links, attributes: thumb(up) })
          .end(at(c.time + 90.1));
      }
    } else if (c.route === 'api') {
      api.push({ trace_id: good.spanContext().traceId, span_id: good.spanContext().spanId, score: 1 });
      // Trace-only feedback applies to the trace's last LLM span: the rejected answer.
      api.push({ trace_id: bad.spanContext().traceId, label: 'down' });
    }
  }
  await provider.forceFlush();
  for (let i = 0; i < api.length; i += 500) {
    const res = await fetch(`${prefloop.url}${PATHS.feedback}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(api.slice(i, i + 500)),
    });
    if (!res.ok) throw new Error(`POST ${PATHS.feedback} answered ${res.status}: ${await res.text()}`);
  }
  await prefloop.flush();
  return {
    store: prefloop.store,
    cleanup: async () => {
      await provider.shutdown();
      await prefloop.close();
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}
