// Micro-benchmark of the receive hot path: protobuf decode, and decode + normalise + attribute
// flattening, on realistic OpenInference LLM spans (HH-RLHF text when at hand). One core, in-process.
// Run: node --import tsx bench/decode.ts [spans=20000] [perRequest=100] [rounds=5]
import { loadavg } from 'node:os';
import { decodeProtobuf } from '../src/receive/decodeProtobuf.js';
import { normalizeSpan } from '../src/normalize/normalizeSpan.js';
import { flattenAttributes } from '../src/records/attributeToString.js';
import { otlpSchema } from '../test/helpers/otlpSchema.js';
import { encodeBodies, loadConversations } from './llmSpans.js';

const total = Number(process.argv[2] ?? 20_000);
const perRequest = Number(process.argv[3] ?? 100);
const rounds = Number(process.argv[4] ?? 5);

const { conversations, source } = loadConversations(5_000);
const { bodies, bytes } = encodeBodies(conversations, total, perRequest);

/**
 * Best of `rounds` passes over every body, in spans per CPU-second of this process (on a shared
 * machine wall time also counts other processes' turns; CPU time does not) and per wall second.
 */
function measure(label: string, pass: () => number): void {
  pass(); // warm-up: JIT and caches
  let bestCpu = Infinity;
  let bestWall = Infinity;
  let spans = 0;
  for (let r = 0; r < rounds; r++) {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    spans = pass();
    bestWall = Math.min(bestWall, Number(process.hrtime.bigint() - start) / 1e9);
    const used = process.cpuUsage(cpu);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6);
  }
  const perCpu = String(Math.round(spans / bestCpu)).padStart(7);
  const perWall = String(Math.round(spans / bestWall)).padStart(7);
  console.log(`${label.padEnd(32)} ${perCpu} spans/CPU-s ${perWall} spans/s wall`);
}

console.log(
  `${total} spans, ${perRequest}/request, ${(bytes / total).toFixed(0)} B/span, ${source}; ` +
    `load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
);
const requestType = otlpSchema().exportRequest;
measure('protobufjs decode alone (floor)', () => {
  let n = 0;
  for (const b of bodies)
    n += (requestType.decode(b) as unknown as { resourceSpans: unknown[] }).resourceSpans.length;
  return n * perRequest;
});
measure('decodeProtobuf', () => {
  let n = 0;
  for (const b of bodies) n += decodeProtobuf(b).spans.length;
  return n;
});
measure('decode + normalizeSpan', () => {
  let n = 0;
  for (const b of bodies) for (const s of decodeProtobuf(b).spans) n += normalizeSpan(s).span === s ? 1 : 0;
  return n;
});
measure('decode + normalize + flatten', () => {
  let n = 0;
  for (const b of bodies)
    for (const s of decodeProtobuf(b).spans) {
      normalizeSpan(s);
      flattenAttributes(s.attributes);
      flattenAttributes(s.resource);
      n++;
    }
  return n;
});
const decoded = bodies.flatMap((b) => decodeProtobuf(b).spans);
measure('normalizeSpan alone', () => {
  for (const s of decoded) normalizeSpan(s);
  return decoded.length;
});
measure('flattenAttributes alone', () => {
  for (const s of decoded) flattenAttributes(s.attributes);
  return decoded.length;
});
