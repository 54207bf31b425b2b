// The load client as a real OTLP client: the OpenTelemetry JS SDK's OTLP/protobuf exporter sends every
// batch (its own serializer, HTTP transport and 429/503 Retry-After handling), a fixed number in flight.
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ExportResultCode } from '@opentelemetry/core';
import { PATHS } from '../src/names.js';
import { decodeProtobuf } from '../src/receive/decodeProtobuf.js';
import { toReadableSpan } from '../src/forward/toReadableSpan.js';

export interface LoadResult {
  /** Wall-clock ms of each accepted request (including its retries' waits). */
  latenciesMs: number[];
  retries: number;
  failures: number;
  startedAt: number;
  finishedAt: number;
}

/** The bench's spans as SDK ReadableSpans, one array per batch (built before the clock starts). */
export function readableBatches(bodies: readonly Uint8Array[]): ReadableSpan[][] {
  return bodies.map((body) => decodeProtobuf(body).spans.map(toReadableSpan));
}

/** Exports every batch through one OTLPTraceExporter, `concurrency` exports in flight at a time. */
export async function exportAll(
  url: string,
  batches: readonly ReadableSpan[][],
  concurrency: number,
): Promise<LoadResult> {
  const exporter = new OTLPTraceExporter({
    url: `${url}${PATHS.traces}`,
    // The workers below bound what is in flight; the exporter still counts an export whose callback is
    // running, so its own limit gets room to spare (at `concurrency` it refused every few batches).
    concurrencyLimit: concurrency * 2,
    timeoutMillis: 60_000,
  });
  const latenciesMs: number[] = [];
  let failures = 0;
  let next = 0;
  const startedAt = Date.now();
  const worker = async (): Promise<void> => {
    while (next < batches.length) {
      const batch = batches[next++]!;
      const t0 = performance.now();
      const ok = await new Promise<boolean>((resolve) =>
        exporter.export(batch, (result) => resolve(result.code === ExportResultCode.SUCCESS)),
      );
      if (ok) latenciesMs.push(performance.now() - t0);
      else failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const finishedAt = Date.now();
  await exporter.shutdown();
  // The exporter retries 429/503 inside export(), honouring Retry-After; it does not say how often.
  return { latenciesMs, retries: 0, failures, startedAt, finishedAt };
}
