// One model under test behind an OpenAI-compatible API: chat answers (log-probabilities: logprobs.ts), with a
// timeout, retries with backoff on 429/5xx/timeouts, bounded concurrency and the on-disk answer cache.
import type { ChatMessage } from '../records/types.js';
import { postJson } from '../score/judge/postJson.js';
import { Semaphore } from '../score/judge/Semaphore.js';
import type { AnswerCache } from './answerCache.js';

export interface ModelEndpoint {
  /** Which side it plays, for messages: `baseline`, `candidate`. */
  role: string;
  /** Base URL up to /v1. */
  baseUrl: string;
  model: string;
  apiKey?: string;
}

export interface ModelClientOptions {
  concurrency: number;
  timeoutMs: number;
  maxRetries: number;
  /** First retry delay; doubles each time (Retry-After honoured, capped at 30 s). */
  backoffMs: number;
  maxTokens: number;
  cache: AnswerCache;
}

/** The model could not be asked, or answered an error: names the side, the model and the URL. */
export class ModelRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options);
    this.name = 'ModelRequestError';
    this.retryAfterMs = options?.retryAfterMs ?? 0;
  }

  readonly retryAfterMs: number;
}

export class ModelClient {
  private readonly limit: Semaphore;
  private readonly base: string;
  /** Requests actually sent (cache misses, retries included). */
  sent = 0;

  constructor(
    readonly endpoint: ModelEndpoint,
    private readonly options: ModelClientOptions,
  ) {
    this.limit = new Semaphore(options.concurrency);
    this.base = endpoint.baseUrl.replace(/\/+$/, '');
  }

  get name(): string {
    return `${this.endpoint.role} model ${this.endpoint.model} at ${this.endpoint.baseUrl}`;
  }

  /** The assistant's answer to `messages` (temperature 0). */
  answer(messages: readonly ChatMessage[]): Promise<string> {
    const body = {
      model: this.endpoint.model,
      messages,
      temperature: 0,
      max_tokens: this.options.maxTokens,
    };
    return this.options.cache.through(['chat', this.base, body], async () => {
      const json = (await this.post('/chat/completions', body)) as {
        choices?: { message?: { content?: unknown } }[];
      };
      const content = json.choices?.[0]?.message?.content;
      if (typeof content !== 'string')
        throw new ModelRequestError(`${this.name} answered without choices[0].message.content`, 200, false);
      return content;
    });
  }

  /** Where log-probabilities come from, once found: `completions` (echo), `chat` (vLLM prompt_logprobs) or none. */
  logprobSource: 'completions' | 'chat' | 'none' | undefined;

  /** The cache answers go through (log-probabilities use it too). */
  get cache(): AnswerCache {
    return this.options.cache;
  }

  /** The base URL without a trailing slash (part of every cache key). */
  get baseUrl(): string {
    return this.base;
  }

  /** One JSON POST to `path` under the base URL, bounded, retried and timed like every request. */
  post(path: string, body: unknown): Promise<unknown> {
    return this.limit.run(async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.once(path, body);
        } catch (err) {
          const e = err as ModelRequestError;
          if (!e.retryable || attempt >= this.options.maxRetries) {
            if (attempt > 0) e.message += ` (after ${attempt + 1} attempts)`;
            throw e;
          }
          const backoff = this.options.backoffMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
          await new Promise((resolve) => setTimeout(resolve, Math.max(backoff, e.retryAfterMs)));
        }
      }
    });
  }

  private async once(path: string, body: unknown): Promise<unknown> {
    const url = this.base + path;
    this.sent++;
    let res: Response;
    let text: string;
    try {
      ({ res, text } = await postJson(
        url,
        JSON.stringify(body),
        this.endpoint.apiKey,
        this.options.timeoutMs,
      ));
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new ModelRequestError(
        timedOut
          ? `${this.name} did not answer within ${this.options.timeoutMs} ms (${url})`
          : `${this.name} is unreachable: ${cause?.code ?? cause?.message ?? (err as Error).message} (${url})`,
        undefined,
        true,
        { cause: err },
      );
    }
    if (!res.ok) {
      const after = Number(res.headers.get('retry-after') ?? NaN);
      throw new ModelRequestError(
        `${this.name} answered HTTP ${res.status} at ${url}: ${text.slice(0, 200)}` +
          (res.status === 401 || res.status === 403 ? ' (check the API key variable)' : ''),
        res.status,
        res.status === 429 || res.status >= 500,
        { retryAfterMs: Number.isFinite(after) ? Math.min(after * 1000, 30_000) : 0 },
      );
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new ModelRequestError(
        `${this.name} answered non-JSON at ${url}: ${text.slice(0, 200)}`,
        res.status,
        false,
        {
          cause: err,
        },
      );
    }
  }
}
