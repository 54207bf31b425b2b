// Test helpers: ReadableSpan literals with exact nanosecond times, serialised by the SDK's own serializers.
import type { HrTime, Link } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { Attributes } from '@opentelemetry/api';

export const TRACE_ID = '5b8efff798038103d269b633813fc60c';
export const SPAN_ID = 'eee19b7ec3c1b174';
export const PARENT_ID = 'eee19b7ec3c1b173';
export const LINK_TRACE = '0af7651916cd43dd8448eb211c80319c';
export const LINK_SPAN = 'b7ad6b7169203331';

/** Nanoseconds as an HrTime, exactly. */
export function hr(nanos: bigint): HrTime {
  return [Number(nanos / 1_000_000_000n), Number(nanos % 1_000_000_000n)];
}

export interface SpanSpec {
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  name?: string;
  start?: bigint;
  end?: bigint;
  attributes?: Attributes;
  events?: TimedEvent[];
  links?: Link[];
}

/** A finished span as the SDK hands it to exporters. */
export function readableSpan(spec: SpanSpec = {}): ReadableSpan {
  const start = spec.start ?? 1_700_000_000_123_456_789n;
  const end = spec.end ?? 1_700_000_001_987_654_321n;
  const traceId = spec.traceId ?? TRACE_ID;
  return {
    name: spec.name ?? 'llm call',
    kind: 2,
    spanContext: () => ({ traceId, spanId: spec.spanId ?? SPAN_ID, traceFlags: 1 }),
    parentSpanContext:
      spec.parentSpanId === undefined ? undefined : { traceId, spanId: spec.parentSpanId, traceFlags: 1 },
    startTime: hr(start),
    endTime: hr(end),
    status: { code: 2, message: 'boom' },
    attributes: spec.attributes ?? {},
    links: spec.links ?? [],
    events: spec.events ?? [],
    duration: hr(end - start),
    ended: true,
    resource: resourceFromAttributes({ 'service.name': 'chat-api', 'deployment.environment': 'test' }),
    instrumentationScope: { name: 'openinference.instrumentation.openai', version: '1.2.3' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}
