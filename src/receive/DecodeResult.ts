// What decoding one OTLP request yields: the valid spans, and how many were rejected and why.
import type { DecodedSpan } from '../records/types.js';
import { longKeyProblem } from './attributeKeys.js';

/** Most rejection reasons kept per request; the count is always exact. */
const MAX_REASONS = 5;

/** Spans of one request: valid ones kept, invalid ones counted with a few reasons for the sender. */
export class DecodeResult {
  readonly spans: DecodedSpan[] = [];
  rejected = 0;
  private readonly reasons: string[] = [];

  /** Keeps a decoded span, or rejects it when an attribute key is over the cap. */
  add(span: DecodedSpan): void {
    const problem = longKeyProblem(span);
    if (problem === '') this.spans.push(span);
    else this.reject(problem);
  }

  /** Records one rejected span with why (kept for the first few only). */
  reject(reason: string): void {
    this.rejected++;
    if (this.reasons.length < MAX_REASONS) this.reasons.push(reason);
  }

  /** The `partial_success.error_message`: '' when nothing was rejected. */
  errorMessage(): string {
    if (this.rejected === 0) return '';
    const more =
      this.rejected > this.reasons.length ? `; and ${this.rejected - this.reasons.length} more` : '';
    return `rejected ${this.rejected} span(s): ${this.reasons.join('; ')}${more}`;
  }
}

/** A body that does not decode at all (answered 400, nothing stored). */
export class OtlpDecodeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OtlpDecodeError';
  }
}
