// Shared pieces of the receiver integration tests: an in-memory intake and a receiver on 127.0.0.1:0.
import type { DecodedSpan, FeedbackRecord } from '../../../src/records/types.js';
import { Metrics } from '../../../src/observe/Metrics.js';
import type { OfferResult, SpanIntake } from '../../../src/receive/SpanIntake.js';
import { OtlpReceiver } from '../../../src/receive/OtlpReceiver.js';
import type { OtlpReceiverOptions } from '../../../src/receive/OtlpReceiver.js';

/** Keeps every offer; `answer` can be switched to refuse. */
export class MemoryIntake implements SpanIntake {
  readonly spans: DecodedSpan[] = [];
  readonly feedback: FeedbackRecord[] = [];
  offers = 0;
  answer: OfferResult = { ok: true };
  ready = true;

  offer(spans: DecodedSpan[], feedback: FeedbackRecord[]): OfferResult {
    this.offers++;
    if (!this.answer.ok) return this.answer;
    this.spans.push(...spans);
    this.feedback.push(...feedback);
    return this.answer;
  }

  isReady(): boolean {
    return this.ready;
  }
}

export interface Running {
  url: string;
  intake: MemoryIntake;
  metrics: Metrics;
  receiver: OtlpReceiver;
}

export async function startReceiver(options: OtlpReceiverOptions = {}): Promise<Running> {
  const intake = new MemoryIntake();
  const metrics = new Metrics();
  const receiver = new OtlpReceiver({ host: '127.0.0.1', port: 0, ...options }, intake, metrics);
  const address = await receiver.start();
  return { url: `http://127.0.0.1:${address.port}`, intake, metrics, receiver };
}
