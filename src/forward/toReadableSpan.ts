// DecodedSpan → the SDK's ReadableSpan, so the stock OTLP exporters can send prefloop's enriched spans on.
import type { Attributes, HrTime, Link, SpanContext } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { AttrMap, AttrValue, DecodedSpan } from '../records/types.js';

const NANOS_PER_SECOND = 1_000_000_000n;
/** Sampled: a span that reached prefloop was recorded. */
const SAMPLED = 1;

/** Resources shared by the spans of one request convert once (decoders share the resource object). */
const resources = new WeakMap<AttrMap, Resource>();

/** Exact nanoseconds → HrTime [seconds, nanos]. */
export function toHrTime(nanos: bigint): HrTime {
  return [Number(nanos / NANOS_PER_SECOND), Number(nanos % NANOS_PER_SECOND)];
}

/**
 * Builds a ReadableSpan carrying the same ids, times, attributes, events, links, status, resource and
 * scope. Losses the exporters impose: int64 past 2^53 is sent as text, OTLP kind UNSPECIFIED as
 * INTERNAL, and whole-number doubles as ints.
 */
export function toReadableSpan(span: DecodedSpan): ReadableSpan {
  const context: SpanContext = {
    traceId: span.traceId,
    spanId: span.spanId,
    traceFlags: SAMPLED,
    ...(span.traceState ? { traceState: new TraceState(span.traceState) } : {}),
  };
  const start = toHrTime(span.startTimeUnixNano);
  const end = toHrTime(span.endTimeUnixNano);
  const duration =
    span.endTimeUnixNano > span.startTimeUnixNano ? span.endTimeUnixNano - span.startTimeUnixNano : 0n;
  return {
    name: span.name,
    // OTLP SpanKind is the API's SpanKind + 1 (OTLP 0 = unspecified has no API value).
    kind: Math.max(0, span.kind - 1),
    spanContext: () => context,
    parentSpanContext: span.parentSpanId
      ? { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: SAMPLED }
      : undefined,
    startTime: start,
    endTime: end,
    duration: toHrTime(duration),
    status: span.statusMessage
      ? { code: span.statusCode, message: span.statusMessage }
      : { code: span.statusCode },
    attributes: toAttributes(span.attributes),
    links: span.links.map((l): Link => ({
      context: {
        traceId: l.traceId,
        spanId: l.spanId,
        traceFlags: SAMPLED,
        ...(l.traceState ? { traceState: new TraceState(l.traceState) } : {}),
      },
      attributes: toAttributes(l.attributes),
    })),
    events: span.events.map((e): TimedEvent => ({
      name: e.name,
      time: toHrTime(e.timeUnixNano),
      attributes: toAttributes(e.attributes),
    })),
    ended: true,
    resource: resourceOf(span.resource),
    instrumentationScope: { name: span.scopeName, version: span.scopeVersion },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

function resourceOf(attrs: AttrMap): Resource {
  let r = resources.get(attrs);
  if (!r) resources.set(attrs, (r = resourceFromAttributes(toAttributes(attrs))));
  return r;
}

/**
 * The exporters' encoder also writes Uint8Array (bytes) and plain objects (kvlists), which the API's
 * Attributes type does not name; hence the cast.
 */
function toAttributes(attrs: AttrMap): Attributes {
  const out: Record<string, unknown> = {};
  for (const key in attrs) out[key] = toValue(attrs[key] ?? null);
  return out as Attributes;
}

function toValue(v: AttrValue): unknown {
  if (typeof v === 'bigint')
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : v.toString();
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v.map(toValue);
  const out: Record<string, unknown> = {};
  for (const key in v) out[key] = toValue(v[key] ?? null);
  return out;
}
