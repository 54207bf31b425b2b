// One JSON POST to an OpenAI-compatible endpoint (judges, embedders): bearer key, bounded in time, untraced.
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/**
 * POSTs `body` (JSON text) to `url` and reads the whole answer. Tracing is suppressed so that an instrumented
 * fetch/undici never emits a span that flows back into prefloop. Network failures and the timeout reject
 * (a TimeoutError or AbortError); an HTTP error status is the caller's to judge.
 */
export async function postJson(
  url: string,
  body: string,
  apiKey: string | undefined,
  timeoutMs: number,
): Promise<{ res: Response; text: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  return context.with(suppressTracing(context.active()), async () => {
    const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
    return { res, text: await res.text() };
  });
}
