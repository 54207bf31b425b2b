// `prefloop synth`: N answers per curated prompt from a model, every two answers judged pairwise in both orders,
// kept as synthetic judge pairs (a verdict that flips with the order is a tie: no pair). Answers and verdicts
// already in the store for the same model, prompt and judge are reused, so an interrupted run resumes.
import { createHash } from 'node:crypto';
import { SYNTH, TABLES } from '../../names.js';
import type { ChatMessage } from '../../records/types.js';
import { JudgeClient } from '../../score/judge/JudgeClient.js';
import { judgeSchema } from '../../score/judge/JudgeSettings.js';
import { LlmJudge } from '../../score/judge/LlmJudge.js';
import { Semaphore } from '../../score/judge/Semaphore.js';
import type { Rubric } from '../../score/RubricFile.js';
import type { Store } from '../../sink/Store.js';
import { rewardSql } from '../rewardSql.js';
import { synthIds, synthTraceRow, verdictRow, type SynthAnswer } from './synthRows.js';

export interface SynthEndpoint {
  /** Base URL up to /v1. */
  baseUrl: string;
  model: string;
  apiKey?: string;
}

export interface SynthOptions {
  prompts: readonly ChatMessage[][];
  model: SynthEndpoint;
  /**
   * A second model: answers alternate between the two (the odd-numbered ones from this one), so every pair
   * with one answer of each compares the models rather than two samples of one. Without it, temperature
   * makes the answers differ.
   */
  secondModel?: SynthEndpoint;
  judge: SynthEndpoint;
  /** What the judge compares (default SYNTH.criteria). */
  criteria?: string;
  nPerPrompt?: number;
  temperature?: number;
  /** Prompts worked on at once (each sends up to n model and n(n-1) judge requests). */
  concurrency?: number;
  timeoutMs?: number;
  maxRetries?: number;
  /** Where answers and verdicts go; undefined: nothing is stored (a dry run), pairs only reported. */
  store?: Store;
  onProgress?: (p: SynthProgress) => void;
  /** Clock (ns); defaults to Date.now(). */
  now?: () => bigint;
}

export interface SynthProgress {
  prompts: number;
  done: number;
  pairs: number;
}

/** One judged pair of answers to a prompt. */
export interface SynthPair {
  prompt: ChatMessage[];
  chosen: string;
  rejected: string;
  chosen_span_id: string;
  rejected_span_id: string;
  /** 1 when both orders agree, 0.5 when one order was a tie or unreadable. */
  confidence: number;
}

export interface SynthResult {
  prompts: number;
  answers: { generated: number; reused: number };
  verdicts: { judged: number; reused: number };
  /** Verdicts that became pairs. */
  pairs: SynthPair[];
  /** The judge called it a tie in both orders, or one order tie and one unreadable. */
  ties: number;
  /** The verdict flipped with the order: a tie, no pair. */
  flips: number;
  /** Two answers with the same text: nothing to judge. */
  identical: number;
  /** Prompts that failed (model or judge errors after retries), with the first few messages. */
  failed: number;
  errors: string[];
  rubric: { id: string; version: string };
}

/** An endpoint that could not be reached at all on the first prompt: the run stops there, saying which. */
export class SynthEndpointError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SynthEndpointError';
  }
}

const FLUSH_EVERY = 50;

export async function runSynth(o: SynthOptions): Promise<SynthResult> {
  const n = o.nPerPrompt ?? SYNTH.nPerPrompt;
  if (!Number.isInteger(n) || n < 2) throw new Error(`nPerPrompt must be a whole number >= 2, got ${n}`);
  if (o.prompts.length === 0) throw new Error('no prompts to answer: give at least one');
  const now = o.now ?? (() => BigInt(Date.now()) * 1_000_000n);
  const criteria = o.criteria ?? SYNTH.criteria;
  const rubric = synthRubric(o.judge, criteria, o);
  const judge = new LlmJudge(rubric, { env: o.judge.apiKey ? { [KEY_ENV]: o.judge.apiKey } : {} });
  const client = (m: SynthEndpoint) =>
    new JudgeClient({
      baseUrl: m.baseUrl,
      model: m.model,
      apiKey: m.apiKey,
      timeoutMs: o.timeoutMs ?? SYNTH.timeoutMs,
      maxRetries: o.maxRetries ?? SYNTH.maxRetries,
      backoffMs: SYNTH.backoffMs,
      temperature: o.temperature ?? SYNTH.temperature,
      maxTokens: SYNTH.maxTokens,
    });
  const models = [
    { endpoint: o.model, client: client(o.model), flag: '--model-url' },
    ...(o.secondModel
      ? [{ endpoint: o.secondModel, client: client(o.secondModel), flag: '--second-model-url' }]
      : []),
  ];
  /** The model that gives a prompt's `index`th answer. */
  const modelOf = (index: number) => models[index % models.length]!;
  const result: SynthResult = {
    prompts: o.prompts.length,
    answers: { generated: 0, reused: 0 },
    verdicts: { judged: 0, reused: 0 },
    pairs: [],
    ties: 0,
    flips: 0,
    identical: 0,
    failed: 0,
    errors: [],
    rubric: { id: rubric.id, version: rubric.version },
  };
  const cached = o.store
    ? await readCache(o.store, (i) => modelOf(i).endpoint.model, rubric.version, o.prompts, n)
    : emptyCache();
  const pending = { spans: [] as object[], verdicts: [] as object[] };
  const flush = async () => {
    if (!o.store) return;
    const { spans, verdicts } = pending;
    pending.spans = [];
    pending.verdicts = [];
    // Spans before verdicts: a verdict never names a span the store does not hold.
    if (spans.length) await o.store.insert(TABLES.traces, spans);
    if (verdicts.length) await o.store.insert(TABLES.judgeVerdicts, verdicts);
  };

  const onePrompt = async (prompt: ChatMessage[]): Promise<void> => {
    const answers: SynthAnswer[] = [];
    for (let i = 0; i < n; i++) {
      const { endpoint, client, flag } = modelOf(i);
      const { spanId } = synthIds(endpoint.model, prompt, i);
      const known = cached.answers.get(spanId);
      if (known !== undefined) {
        result.answers.reused++;
        answers.push({ model: endpoint.model, prompt, index: i, text: known, timeUnixNano: now() });
        continue;
      }
      let text: string;
      try {
        text = await client.complete(prompt);
      } catch (err) {
        throw new SynthEndpointError(
          `the model (${flag} ${endpoint.baseUrl}) failed: ${endpointMessage(err)}`,
          { cause: err },
        );
      }
      const a = { model: endpoint.model, prompt, index: i, text, timeUnixNano: now() };
      answers.push(a);
      result.answers.generated++;
      pending.spans.push(synthTraceRow(a).row);
    }
    const promptHash = synthTraceRow(answers[0]!).promptHash;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) {
        const [a, b] = [answers[i]!, answers[j]!];
        if (a.text.trim() === b.text.trim()) {
          result.identical++;
          continue;
        }
        const ids = [synthIds(a.model, prompt, a.index), synthIds(b.model, prompt, b.index)] as const;
        const key = `${ids[0].spanId}/${ids[1].spanId}`;
        let verdict = cached.verdicts.get(key);
        if (verdict) result.verdicts.reused++;
        else {
          let v;
          try {
            v = await judge.compare(prompt, a.text, b.text);
          } catch (err) {
            throw new SynthEndpointError(
              `the judge (--judge-url ${o.judge.baseUrl}) failed: ${endpointMessage(err)}`,
              { cause: err },
            );
          }
          verdict = { winner: v.winner, confidence: v.confidence, flipped: v.label === 'order_flip' };
          result.verdicts.judged++;
          pending.verdicts.push(
            verdictRow({
              rubricVersion: rubric.version,
              promptHash,
              a: ids[0],
              b: ids[1],
              ...verdict,
              explanation: v.explanation,
              judgeModel: o.judge.model,
              timeUnixNano: now(),
            }),
          );
        }
        if (verdict.flipped) result.flips++;
        else if (verdict.winner === 'tie') result.ties++;
        else {
          const [win, lose] = verdict.winner === 'A' ? [0, 1] : [1, 0];
          const pair = [a, b];
          result.pairs.push({
            prompt,
            chosen: pair[win]!.text,
            rejected: pair[lose]!.text,
            chosen_span_id: ids[win]!.spanId,
            rejected_span_id: ids[lose]!.spanId,
            confidence: verdict.confidence,
          });
        }
      }
  };

  let done = 0;
  const report = () => o.onProgress?.({ prompts: o.prompts.length, done, pairs: result.pairs.length });
  // The first prompt alone: an endpoint that cannot be reached stops the run at once, saying which.
  await onePrompt([...o.prompts[0]!]);
  done++;
  report();
  const limit = new Semaphore(o.concurrency ?? SYNTH.concurrency);
  let sinceFlush = 0;
  await Promise.all(
    o.prompts.slice(1).map((p) =>
      limit.run(async () => {
        try {
          await onePrompt([...p]);
        } catch (err) {
          result.failed++;
          if (result.errors.length < 5) result.errors.push((err as Error).message);
        }
        done++;
        report();
        if (++sinceFlush >= FLUSH_EVERY) {
          sinceFlush = 0;
          await flush();
        }
      }),
    ),
  );
  await flush();
  return result;
}

/** The env var name the synthetic judge rubric reads its key from (its own env, not the process's). */
const KEY_ENV = 'PREFLOOP_SYNTH_JUDGE_KEY';

/** The judge as a rubric (LlmJudge's retries, cache, concurrency, both-order compare); versioned by criteria and model. */
function synthRubric(judge: SynthEndpoint, criteria: string, o: SynthOptions): Rubric {
  const version = `synth-${createHash('sha256')
    .update(JSON.stringify([criteria, judge.model]))
    .digest('hex')
    .slice(0, 12)}`;
  return {
    id: SYNTH.rubricId,
    version,
    description: 'prefloop synth pairwise judge',
    evaluator: 'llm_judge',
    annotatorKind: 'LLM',
    appliesTo: { spanKinds: [], models: [], services: [], attributes: {} },
    params: undefined,
    threshold: 0.5,
    higherIsBetter: true,
    critical: false,
    noiseFloor: 0,
    gateTolerance: 0,
    pairs: null,
    judge: judgeSchema.parse({
      base_url: judge.baseUrl,
      model: judge.model,
      ...(judge.apiKey ? { api_key_env: KEY_ENV } : {}),
      criteria,
      timeout_ms: o.timeoutMs ?? SYNTH.timeoutMs,
      max_retries: o.maxRetries ?? SYNTH.maxRetries,
      concurrency: o.concurrency ?? SYNTH.concurrency,
    }),
  } as Rubric;
}

function endpointMessage(err: unknown): string {
  return (err as Error).message.replace(/^judge /, '');
}

interface Cache {
  /** Span id → answer text of synthetic answers already stored. */
  answers: Map<string, string>;
  /** `spanIdA/spanIdB` → the stored verdict of this judge version. */
  verdicts: Map<string, { winner: 'A' | 'B' | 'tie'; confidence: number; flipped: boolean }>;
}

function emptyCache(): Cache {
  return { answers: new Map(), verdicts: new Map() };
}

async function readCache(
  store: Store,
  modelOf: (index: number) => string,
  version: string,
  prompts: readonly ChatMessage[][],
  n: number,
): Promise<Cache> {
  const cache = emptyCache();
  const ids = prompts.flatMap((p) => Array.from({ length: n }, (_, i) => synthIds(modelOf(i), p, i).spanId));
  const rows = await store.query<{ SpanId: string; Response: string }>(rewardSql('synth_answers'), {
    service: SYNTH.serviceName,
    ids,
  });
  for (const r of rows) cache.answers.set(r.SpanId, r.Response);
  if (cache.answers.size === 0) return cache;
  const verdicts = await store.query<{
    A: string;
    B: string;
    Winner: string;
    Confidence: number;
    Flipped: number;
  }>(rewardSql('synth_verdicts'), { rubric: SYNTH.rubricId, version, ids: [...cache.answers.keys()] });
  for (const v of verdicts)
    cache.verdicts.set(`${v.A}/${v.B}`, {
      winner: v.Winner === 'a' ? 'A' : v.Winner === 'b' ? 'B' : 'tie',
      confidence: Number(v.Confidence),
      flipped: Number(v.Flipped) === 1,
    });
  return cache;
}
