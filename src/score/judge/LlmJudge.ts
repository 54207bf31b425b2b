// One llm_judge rubric at run time: sampling, a verdict cache, bounded concurrency, pointwise and pairwise grading.
import { createHash } from 'node:crypto';
import type { ChatMessage, SpanRecord } from '../../records/types.js';
import type { EvaluatorResult } from '../evaluators/Evaluator.js';
import type { Rubric } from '../RubricFile.js';
import { passes } from '../RubricFile.js';
import { JudgeClient } from './JudgeClient.js';
import { parsePairwise, parsePointwise, type PairWinner } from './parseJudgeAnswer.js';
import { pairwiseMessages, pointwiseMessages } from './prompts.js';
import { Semaphore } from './Semaphore.js';
import type { JudgeSettings } from './JudgeSettings.js';

/** The answer could not be read as a grade or verdict (the judge is not retried for it). */
export class JudgeAnswerError extends Error {
  constructor(
    message: string,
    readonly answer: string,
  ) {
    super(message);
    this.name = 'JudgeAnswerError';
  }
}

/** A pairwise verdict after asking in both orders. */
export interface PairVerdict {
  /** 'A' is the first response given to compare(), whatever order the judge saw. */
  winner: PairWinner;
  /** 1 when both orders agree, 0.5 when one order is a tie or unreadable, 0 when the verdict flips. */
  confidence: number;
  /** Winner of each order, mapped back to the caller's A/B (null: unreadable). */
  orders: [PairWinner | null, PairWinner | null];
  label: 'consistent' | 'partial' | 'order_flip';
  explanation: string;
}

export interface LlmJudgeOptions {
  /** Where the API key env var is looked up (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

export class LlmJudge {
  readonly settings: JudgeSettings;
  private readonly client: JudgeClient;
  private readonly limit: Semaphore;
  private readonly cache = new Map<string, Promise<unknown>>();

  constructor(
    readonly rubric: Rubric,
    options: LlmJudgeOptions = {},
  ) {
    if (!rubric.judge) throw new Error(`rubric ${rubric.id} is not an llm_judge rubric`);
    this.settings = rubric.judge;
    const env = options.env ?? process.env;
    let apiKey: string | undefined;
    if (this.settings.api_key_env) {
      apiKey = env[this.settings.api_key_env];
      if (!apiKey) {
        throw new Error(
          `rubric ${rubric.id}: judge.api_key_env names ${this.settings.api_key_env}, which is not set; ` +
            'export it, or remove api_key_env for a judge without auth',
        );
      }
    }
    this.client = new JudgeClient({
      baseUrl: this.settings.base_url,
      model: this.settings.model,
      apiKey,
      timeoutMs: this.settings.timeout_ms,
      maxRetries: this.settings.max_retries,
      backoffMs: this.settings.backoff_ms,
      temperature: this.settings.temperature,
      maxTokens: this.settings.max_tokens,
    });
    this.limit = new Semaphore(this.settings.concurrency);
  }

  /** Whether this span is in the sample; decided from its ids so that a replay decides the same. */
  sampled(record: SpanRecord): boolean {
    const rate = this.settings.sample_rate;
    if (rate >= 1) return true;
    if (rate <= 0) return false;
    const h = createHash('sha256')
      .update(`${this.rubric.id}/${record.span.traceId}/${record.span.spanId}`)
      .digest();
    return h.readUInt32BE(0) / 0x1_0000_0000 < rate;
  }

  /** Requests running or queued. */
  get depth(): number {
    return this.limit.depth;
  }

  /** Grades one answer. Throws JudgeRequestError (HTTP) or JudgeAnswerError (unreadable answer). */
  grade(prompt: readonly ChatMessage[], response: string): Promise<EvaluatorResult> {
    return this.cached(['grade', prompt, response], async () => {
      const answer = await this.limit.run(() =>
        this.client.complete(
          pointwiseMessages(this.settings.criteria, this.settings.scale, prompt, response),
        ),
      );
      const parsed = parsePointwise(answer, this.settings.scale);
      if (!parsed) {
        throw new JudgeAnswerError(
          `judge for rubric ${this.rubric.id} answered without a score in [${this.settings.scale.min}, ${this.settings.scale.max}]: ${answer.slice(0, 120)}`,
          answer,
        );
      }
      return {
        score: parsed.score,
        label: parsed.label || (passes(this.rubric, parsed.score) ? 'pass' : 'fail'),
        explanation: parsed.explanation,
      };
    });
  }

  /**
   * Compares two answers to the same prompt, asking in both orders to cancel position bias. A verdict that
   * flips with the order is a tie with confidence 0.
   */
  compare(prompt: readonly ChatMessage[], a: string, b: string): Promise<PairVerdict> {
    return this.cached(['compare', prompt, a, b], async () => {
      const ask = (x: string, y: string) =>
        this.limit.run(() => this.client.complete(pairwiseMessages(this.settings.criteria, prompt, x, y)));
      const [first, second] = await Promise.all([ask(a, b), ask(b, a)]);
      const p1 = parsePairwise(first);
      const p2 = parsePairwise(second);
      if (!p1 && !p2) {
        throw new JudgeAnswerError(
          `judge for rubric ${this.rubric.id} gave no readable verdict in either order: ${first.slice(0, 120)}`,
          first,
        );
      }
      const o1 = p1?.winner ?? null;
      const o2 = p2 ? swap(p2.winner) : null;
      const explanation = p1?.explanation || p2?.explanation || '';
      return combine(o1, o2, explanation);
    });
  }

  private cached<T>(key: unknown[], run: () => Promise<T>): Promise<T> {
    if (this.settings.cache_size === 0) return run();
    const k = createHash('sha256')
      .update(JSON.stringify([this.rubric.version, this.rubric.id, ...key]))
      .digest('base64url');
    const hit = this.cache.get(k);
    if (hit) {
      // Re-insert to keep the map in least-recently-used order.
      this.cache.delete(k);
      this.cache.set(k, hit);
      return hit as Promise<T>;
    }
    const p = run();
    this.cache.set(k, p);
    // A failure is not cached: the next span with the same input asks again.
    p.catch(() => this.cache.delete(k));
    if (this.cache.size > this.settings.cache_size) this.cache.delete(this.cache.keys().next().value!);
    return p;
  }
}

function swap(w: PairWinner): PairWinner {
  return w === 'A' ? 'B' : w === 'B' ? 'A' : 'tie';
}

/** Both orders' winners (already in the caller's A/B) → one verdict with a confidence. */
export function combine(o1: PairWinner | null, o2: PairWinner | null, explanation: string): PairVerdict {
  const orders: [PairWinner | null, PairWinner | null] = [o1, o2];
  if (o1 !== null && o1 === o2)
    return { winner: o1, confidence: 1, orders, label: 'consistent', explanation };
  if (o1 === null || o2 === null || o1 === 'tie' || o2 === 'tie') {
    const decided = [o1, o2].find((w) => w !== null && w !== 'tie') ?? 'tie';
    return { winner: decided, confidence: 0.5, orders, label: 'partial', explanation };
  }
  return { winner: 'tie', confidence: 0, orders, label: 'order_flip', explanation };
}
