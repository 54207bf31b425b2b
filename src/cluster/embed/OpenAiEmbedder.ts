// Adapter to any OpenAI-compatible /v1/embeddings endpoint: batches, bounded concurrency, retries with
// backoff on 429, 5xx, timeouts and network errors; tracing suppressed so it never traces itself.
import { postJson } from '../../score/judge/postJson.js';
import { Semaphore } from '../../score/judge/Semaphore.js';

export interface OpenAiEmbedderOptions {
  /** Base URL up to /v1; `/embeddings` is appended. */
  baseUrl: string;
  /** The model name sent, and the key its vectors are stored under. */
  model: string;
  /** Bearer token (PREFLOOP_EMBED_API_KEY). Default none. */
  apiKey?: string;
  /** Texts per request. Default 64. */
  batchSize?: number;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  /** Retries of a retryable failure. Default 3. */
  maxRetries?: number;
  /** First backoff; doubles per retry. Default 500 ms. */
  backoffMs?: number;
  /** Per-request timeout. Default 60 s. */
  timeoutMs?: number;
}

/** An embeddings call that failed; the message names the endpoint. */
export class EmbedderError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EmbedderError';
  }
}

export class OpenAiEmbedder {
  private readonly url: string;
  private readonly slots: Semaphore;

  constructor(private readonly options: OpenAiEmbedderOptions) {
    this.url = options.baseUrl.replace(/\/+$/, '') + '/embeddings';
    this.slots = new Semaphore(options.concurrency ?? 4);
  }

  /** The model name vectors are requested from (and stored under). */
  get model(): string {
    return this.options.model;
  }

  /** One vector per text, in order; refuses an answer of mixed dimensions. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const size = this.options.batchSize ?? 64;
    const batches: string[][] = [];
    for (let i = 0; i < texts.length; i += size) batches.push(texts.slice(i, i + size));
    const answers = await Promise.all(batches.map((batch) => this.slots.run(() => this.withRetries(batch))));
    const vectors = answers.flat();
    const dims = new Set(vectors.map((v) => v.length));
    if (dims.size > 1)
      throw new EmbedderError(
        `embeddings ${this.url} returned vectors of mixed dimensions (${[...dims].join(', ')})`,
        false,
      );
    return vectors;
  }

  private async withRetries(batch: string[]): Promise<Float32Array[]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(batch);
      } catch (err) {
        const e = err instanceof EmbedderError ? err : new EmbedderError(String(err), false, { cause: err });
        if (!e.retryable || attempt >= (this.options.maxRetries ?? 3)) {
          if (attempt > 0) e.message += ` (after ${attempt + 1} attempts)`;
          throw e;
        }
        const backoff = (this.options.backoffMs ?? 500) * 2 ** attempt * (0.75 + Math.random() * 0.5);
        // Not unref'd: a CLI run waiting out its backoff has nothing else keeping the process alive.
        await new Promise((resolve) => setTimeout(resolve, backoff));
      }
    }
  }

  private async once(batch: string[]): Promise<Float32Array[]> {
    let res: Response;
    let text: string;
    try {
      const body = JSON.stringify({ model: this.options.model, input: batch });
      ({ res, text } = await postJson(this.url, body, this.options.apiKey, this.options.timeoutMs ?? 60_000));
    } catch (err) {
      throw new EmbedderError(`embeddings ${this.url} unreachable: ${(err as Error).message}`, true, {
        cause: err,
      });
    }
    if (!res.ok)
      throw new EmbedderError(
        `embeddings ${this.url} answered HTTP ${res.status}: ${text.slice(0, 200)}` +
          (res.status === 401 || res.status === 403 ? ' (check PREFLOOP_EMBED_API_KEY)' : ''),
        res.status === 429 || res.status >= 500,
      );
    let data: { index?: number; embedding?: unknown }[] | undefined;
    try {
      data = (JSON.parse(text) as { data?: { index?: number; embedding?: unknown }[] }).data;
    } catch (err) {
      throw new EmbedderError(`embeddings ${this.url} answered non-JSON: ${text.slice(0, 200)}`, false, {
        cause: err,
      });
    }
    if (!Array.isArray(data) || data.length !== batch.length)
      throw new EmbedderError(
        `embeddings ${this.url} answered ${data?.length ?? 'no'} vectors for ${batch.length} texts`,
        false,
      );
    // The API may answer out of order; `index` says which input each vector is for.
    const out: Float32Array[] = new Array<Float32Array>(batch.length);
    data.forEach((d, k) => {
      if (!Array.isArray(d.embedding) || !d.embedding.every((x) => typeof x === 'number'))
        throw new EmbedderError(`embeddings ${this.url}: item ${k} has no numeric embedding`, false);
      out[d.index ?? k] = Float32Array.from(d.embedding as number[]);
    });
    return out;
  }
}
