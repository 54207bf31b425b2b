// Whether a rubric applies to a span: span kind, model, service and attribute matches (all must hold).
import { attributeToString } from '../records/attributeToString.js';
import type { SpanRecord } from '../records/types.js';
import type { RubricTarget } from './RubricFile.js';

export function appliesTo(target: RubricTarget, record: SpanRecord): boolean {
  if (target.spanKinds.length > 0 && !matchesAny(target.spanKinds, record.llmKind)) return false;
  if (target.models.length > 0 && !matchesAny(target.models, record.model)) return false;
  if (target.services.length > 0 && !matchesAny(target.services, record.serviceName)) return false;
  // A for-in loop: Object.entries would build an array per rubric per span, for a map that is nearly always empty.
  for (const key in target.attributes) {
    const value = record.span.attributes[key];
    // Compared as the text stored for it in SpanAttributes (an array or map as JSON, bytes as base64).
    if (value === undefined || !matchesAny(target.attributes[key]!, attributeToString(value))) return false;
  }
  return true;
}

/** `*` matches any run of characters; everything else is literal; case-sensitive. */
export function matchesAny(patterns: readonly string[], value: string): boolean {
  for (const p of patterns) {
    if (!p.includes('*')) {
      if (p === value) return true;
      continue;
    }
    if (new RegExp('^' + p.split('*').map(escape).join('.*') + '$', 's').test(value)) return true;
  }
  return false;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
