// Deterministic feedback ids: the same judgement delivered twice (a retried export) gets the same id.
import { createHash } from 'node:crypto';
import type { FeedbackRecord } from './types.js';

/** Everything that makes a judgement itself; the id is a function of exactly these fields. */
export type FeedbackIdentity = Pick<
  FeedbackRecord,
  | 'traceId'
  | 'spanId'
  | 'sessionId'
  | 'name'
  | 'annotatorKind'
  | 'annotatorId'
  | 'label'
  | 'score'
  | 'explanation'
  | 'origin'
  | 'identifier'
> & {
  /** The judgement's own time, or '' when the sender gave none (so a retry still matches). */
  time: string;
};

/** 32 hex digits (128 bits of sha256) over the identity fields. */
export function feedbackId(f: FeedbackIdentity): string {
  const key = JSON.stringify([
    f.traceId,
    f.spanId,
    f.sessionId,
    f.name,
    f.annotatorKind,
    f.annotatorId,
    f.label,
    f.score,
    f.explanation,
    f.origin,
    f.identifier,
    f.time,
  ]);
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}
