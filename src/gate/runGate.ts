// `prefloop gate` offline: hold-out prompts to both models, answers scored by the rubric file, statistics,
// preference accuracy and the verdict. The caller stores the spans and the run (saveGateRun).
import { randomUUID } from 'node:crypto';
import { GATE } from '../names.js';
import type { RubricSet } from '../score/RubricFile.js';
import { JudgeClient } from '../score/judge/JudgeClient.js';
import { Scorer } from '../score/Scorer.js';
import { AnswerCache } from './answerCache.js';
import { comparePaired } from './compare.js';
import type { AnswerScores } from './compare.js';
import type { ScoredAnswer } from './gateSpans.js';
import { scoreAnswers } from './gateSpans.js';
import type { Holdout } from './holdout.js';
import { ModelClient } from './ModelClient.js';
import type { ModelEndpoint } from './ModelClient.js';
import { GATE_JUDGE_VERSION, implicitReward, judgeWins } from './preferenceRun.js';
import type { GateReport } from './report.js';
import { rubricJudges, rubricVersionCheck } from './rubricVersions.js';
import type { PreferenceAccuracy } from './stats/preference.js';
import { decide, EXIT_CODES } from './verdict.js';

export interface GateOptions {
  holdout: Holdout;
  set: RubricSet;
  rubricFile: string;
  baseline: ModelEndpoint;
  candidate: ModelEndpoint;
  judge?: { baseUrl: string; model: string; apiKey?: string };
  concurrency?: number;
  timeoutMs?: number;
  maxRetries?: number;
  backoffMs?: number;
  maxTokens?: number;
  seed?: number;
  iterations?: number;
  preferenceFloor?: number;
  /** Answer cache folder; undefined: no cache. */
  cacheDir?: string;
  env?: Readonly<Record<string, string | undefined>>;
  onProgress?: (text: string) => void;
}

export interface GateResult {
  report: GateReport;
  answers: ScoredAnswer[];
}

export async function runGate(o: GateOptions): Promise<GateResult> {
  const startedAt = new Date();
  const runId = randomUUID();
  const cache = new AnswerCache(o.cacheDir);
  const clientOptions = {
    concurrency: o.concurrency ?? GATE.concurrency,
    timeoutMs: o.timeoutMs ?? GATE.timeoutMs,
    maxRetries: o.maxRetries ?? GATE.maxRetries,
    backoffMs: o.backoffMs ?? 500,
    maxTokens: o.maxTokens ?? GATE.maxTokens,
    cache,
  };
  const baseline = new ModelClient(o.baseline, clientOptions);
  const candidate = new ModelClient(o.candidate, clientOptions);
  const { prompts } = o.holdout;
  const byKey = new Map(prompts.map((p) => [p.key, p]));
  const versions = rubricVersionCheck(o.holdout, o.set, o.rubricFile);

  let done = 0;
  const total = prompts.length * 2;
  const ask = async (client: ModelClient, side: 'baseline' | 'candidate', i: number) => {
    const p = prompts[i]!;
    const answer = await client.answer(p.messages);
    o.onProgress?.(`answers ${++done}/${total}`);
    return {
      runId,
      side,
      model: client.endpoint.model,
      promptKey: p.key,
      prompt: p.messages,
      answer,
      timeUnixNano: BigInt(Date.now()) * 1_000_000n,
    };
  };
  const answered = await Promise.all(
    prompts.flatMap((_, i) => [ask(baseline, 'baseline', i), ask(candidate, 'candidate', i)]),
  );

  o.onProgress?.('scoring the answers with the rubric file');
  const scorer = new Scorer(o.set, { judge: { env: o.env ?? process.env } });
  const answers = await scoreAnswers(scorer, answered);
  const scoresOf = (side: string) =>
    new Map<string, AnswerScores>(
      answers.filter((a) => a.answer.side === side).map((a) => [a.answer.promptKey, a.scores]),
    );
  const seed = o.seed ?? GATE.seed;
  const { rubrics, combined } = comparePaired(o.set, scoresOf('baseline'), scoresOf('candidate'), {
    seed,
    iterations: o.iterations ?? GATE.bootstrapIterations,
  });

  let preference: PreferenceAccuracy | null = await implicitReward(
    o.holdout.pairs,
    byKey,
    baseline,
    candidate,
    (d, t) => o.onProgress?.(`log-probabilities ${d}/${t} pairs`),
  );
  let judgeVersion = '';
  if (preference === null && o.judge) {
    judgeVersion = `${GATE_JUDGE_VERSION}/${o.judge.model}`;
    const judge = new JudgeClient({
      baseUrl: o.judge.baseUrl,
      model: o.judge.model,
      ...(o.judge.apiKey ? { apiKey: o.judge.apiKey } : {}),
      timeoutMs: clientOptions.timeoutMs,
      maxRetries: clientOptions.maxRetries,
      backoffMs: clientOptions.backoffMs,
      temperature: 0,
      maxTokens: 400,
    });
    const bySide = new Map(
      answers.map((a) => [`${a.answer.side}\u0000${a.answer.promptKey}`, a.answer.answer]),
    );
    const text = (side: string, key: string) => bySide.get(`${side}\u0000${key}`)!;
    preference = await judgeWins(
      judge,
      [o.judge.baseUrl, o.judge.model, GATE_JUDGE_VERSION],
      cache,
      prompts.map((p) => ({
        prompt: p.messages,
        baseline: text('baseline', p.key),
        candidate: text('candidate', p.key),
      })),
      clientOptions.concurrency,
      (d, t) => o.onProgress?.(`judge ${d}/${t} prompts`),
    );
  }
  const floor = o.preferenceFloor ?? GATE.preferenceFloor;
  const measured = new Set(rubrics.map((r) => r.id));
  const decision = decide({
    rubrics,
    combined,
    preference,
    preferenceFloor: floor,
    unmeasuredCritical: o.set.rubrics.filter((r) => r.critical && !measured.has(r.id)).map((r) => r.id),
  });
  const report: GateReport = {
    run_id: runId,
    mode: 'offline',
    started_at: startedAt.toISOString(),
    finished_at: new Date().toISOString(),
    verdict: decision.verdict,
    exit_code: EXIT_CODES[decision.verdict],
    reasons: decision.reasons,
    warnings: versions.warning ? [versions.warning] : [],
    rubric_file: { path: o.rubricFile, version: o.set.hash },
    rubric_versions_used: versions.used,
    holdout: {
      path: o.holdout.path,
      hash: o.holdout.hash,
      format: o.holdout.format,
      records: o.holdout.records,
      prompts: prompts.length,
      pairs: o.holdout.pairs.length,
      manifest: o.holdout.manifest
        ? {
            path: o.holdout.manifest.path,
            hash: o.holdout.manifest.hash,
            rubric_versions: o.holdout.manifest.rubricVersions,
          }
        : null,
    },
    baseline: { url: o.baseline.baseUrl, model: o.baseline.model },
    candidate: { url: o.candidate.baseUrl, model: o.candidate.model },
    judge: o.judge ? { url: o.judge.baseUrl, model: o.judge.model, version: judgeVersion } : null,
    rubric_judges: rubricJudges(o.set),
    seed,
    rubrics,
    combined,
    preference_accuracy: preference ? { ...preference, floor } : null,
    requests: { baseline: baseline.sent, candidate: candidate.sent, cache_hits: cache.hits },
    spans: { service: GATE.serviceName, stored: answers.length },
  };
  return { report, answers };
}
