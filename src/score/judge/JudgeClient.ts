// Thin adapter to any OpenAI-compatible chat-completions endpoint: timeout, retries with backoff, no self-tracing.
import type { ChatMessage } from '../../records/types.js';
import { postJson } from './postJson.js';

export interface JudgeClientOptions {
  /** Base URL up to /v1; `/chat/completions` is appended. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs: number;
  maxRetries: number;
  backoffMs: number;
  temperature: number;
  maxTokens: number;
}

/** A judge call that failed; `retryable` says whether trying again could help. */
export class JudgeRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options);
    this.name = 'JudgeRequestError';
    this.retryAfterMs = options?.retryAfterMs ?? 0;
  }

  /** From a Retry-After header (seconds), capped at 30 s; 0 when absent. */
  readonly retryAfterMs: number;
}

export class JudgeClient {
  private readonly url: string;

  constructor(private readonly options: JudgeClientOptions) {
    this.url = options.baseUrl.replace(/\/+$/, '') + '/chat/completions';
  }

  /** The assistant text of one completion; retries 429, 5xx, timeouts and network errors with backoff. */
  async complete(messages: readonly ChatMessage[]): Promise<string> {
    let attempt = 0;
    for (;;) {
      try {
        return await this.once(messages);
      } catch (err) {
        const e =
          err instanceof JudgeRequestError ? err : new JudgeRequestError(String(err), undefined, false);
        if (!e.retryable || attempt >= this.options.maxRetries) {
          if (attempt > 0) e.message += ` (after ${attempt + 1} attempts)`;
          throw e;
        }
        const backoff = this.options.backoffMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
        await sleep(Math.max(backoff, e.retryAfterMs));
        attempt++;
      }
    }
  }

  private async once(messages: readonly ChatMessage[]): Promise<string> {
    const body = JSON.stringify({
      model: this.options.model,
      messages,
      temperature: this.options.temperature,
      max_tokens: this.options.maxTokens,
    });
    let res: Response;
    let text: string;
    try {
      ({ res, text } = await postJson(this.url, body, this.options.apiKey, this.options.timeoutMs));
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new JudgeRequestError(
        timedOut
          ? `judge ${this.url} did not answer within ${this.options.timeoutMs} ms`
          : `judge ${this.url} unreachable: ${(err as Error).message}`,
        undefined,
        true,
        { cause: err },
      );
    }
    if (!res.ok) {
      const retryable = res.status === 429 || res.status >= 500;
      const after = Number(res.headers.get('retry-after') ?? NaN);
      throw new JudgeRequestError(
        `judge ${this.url} answered HTTP ${res.status}: ${text.slice(0, 200)}` +
          (res.status === 401 || res.status === 403
            ? ' (check the API key env var named in the rubric file)'
            : ''),
        res.status,
        retryable,
        // Capped: a judge asking for minutes would hold spans far past any sensible wait.
        { retryAfterMs: Number.isFinite(after) ? Math.min(after * 1000, 30_000) : 0 },
      );
    }
    let content: unknown;
    try {
      const json = JSON.parse(text) as { choices?: { message?: { content?: unknown } }[] };
      content = json.choices?.[0]?.message?.content;
    } catch (err) {
      throw new JudgeRequestError(
        `judge ${this.url} answered non-JSON: ${text.slice(0, 200)}`,
        res.status,
        false,
        {
          cause: err,
        },
      );
    }
    if (typeof content !== 'string') {
      throw new JudgeRequestError(
        `judge ${this.url} answered without choices[0].message.content`,
        res.status,
        false,
      );
    }
    return content;
  }
}

/** Kept referenced: a CLI awaiting a retry must not exit mid-backoff. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
