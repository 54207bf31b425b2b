// A DecodedSpan builder for the normalisation tests.
import type { AttrMap, DecodedSpan } from '../../../src/records/types.js';

export function span(attributes: AttrMap, overrides: Partial<DecodedSpan> = {}): DecodedSpan {
  return {
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    parentSpanId: '',
    traceState: '',
    name: 'llm',
    kind: 3,
    startTimeUnixNano: 1_700_000_000_000_000_000n,
    endTimeUnixNano: 1_700_000_002_000_000_000n,
    attributes,
    events: [],
    links: [],
    statusCode: 0,
    statusMessage: '',
    resource: { 'service.name': 'chat-api' },
    scopeName: '',
    scopeVersion: '',
    ...overrides,
  };
}
