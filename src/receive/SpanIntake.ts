// What each stage hands the next: the receiver offers decoded spans and feedback to the pipeline.
import type { DecodedSpan, FeedbackRecord } from '../records/types.js';

/**
 * The answer to an offer: taken (the 200 promise), refused for now with a retry hint, or refused for good
 * (`too_large`: the request alone exceeds the queue's bounds, so retrying it can never succeed).
 */
export type OfferResult =
  /**
   * `failed`: why each span left out of the request failed (for partial_success); `failedFeedback`: likewise
   * for feedback records (sent to /v1/feedback or carried by spans). Each absent when none.
   */
  | { ok: true; failed?: readonly string[]; failedFeedback?: readonly string[] }
  | { ok: false; reason: 'full' | 'unavailable' | 'shutting_down'; retryAfterSeconds: number }
  | { ok: false; reason: 'too_large'; limit: string };

/** The pipeline behind the receiver: normalise → score → sink. */
export interface SpanIntake {
  /**
   * Takes a whole decoded request or none of it. Synchronous so the receiver answers 200 only
   * for data the pipeline holds; `bytes` is the decoded request size, for the memory bound.
   */
  offer(spans: DecodedSpan[], feedback: FeedbackRecord[], bytes: number): OfferResult;
  /** True when the store is reachable and the queue has room (GET /healthz). */
  isReady(): boolean;
}
