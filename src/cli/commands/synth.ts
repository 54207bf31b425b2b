// `prefloop synth`: synthetic preference pairs from curated prompts — two answers each, judged both orders.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SYNTH } from '../../names.js';
import { runSynth, type SynthResult } from '../../reward/synth/runSynth.js';
import { parseSynthPrompts } from '../../reward/synth/synthPrompts.js';
import { rewardSql } from '../../reward/rewardSql.js';
import type { Store } from '../../sink/Store.js';
import type { Command, CommandInput } from '../Command.js';
import { UsageError } from '../Command.js';
import { progress } from '../progress.js';
import { withClientStore } from '../resolve.js';
import { formatChoice, integerOption } from './clusterOptions.js';

export const synthCommand: Command = {
  name: 'synth',
  summary:
    'synthetic judge pairs from curated prompts: two answers each, judged in both orders (a warm start)',
  usage:
    '--prompts FILE --model-url URL --model M --judge-url URL --judge-model M [--second-model-url URL --second-model M] [--n-per-prompt N] [--dry-run] [--out FILE]',
  options: {
    prompts: { type: 'string' },
    'model-url': { type: 'string' },
    model: { type: 'string' },
    'second-model-url': { type: 'string' },
    'second-model': { type: 'string' },
    'judge-url': { type: 'string' },
    'judge-model': { type: 'string' },
    'n-per-prompt': { type: 'string' },
    temperature: { type: 'string' },
    criteria: { type: 'string' },
    concurrency: { type: 'string' },
    'dry-run': { type: 'boolean' },
    out: { type: 'string' },
    format: { type: 'string' },
  },
  help: [
    '--prompts FILE       curated prompts: JSONL {"prompt": text or [{role, content}]} (an export file works), or one per line',
    '--model-url URL      the model answering, OpenAI-compatible, up to /v1 (key from PREFLOOP_MODEL_API_KEY)',
    '--model M            its model name',
    '--second-model-url URL, --second-model M',
    '                     a second model (key from PREFLOOP_SECOND_MODEL_API_KEY): answers alternate between the two',
    '--judge-url URL      the judge, OpenAI-compatible, up to /v1 (key from PREFLOOP_JUDGE_API_KEY)',
    '--judge-model M      its model name',
    `--n-per-prompt N     answers per prompt, every two compared (default ${SYNTH.nPerPrompt})`,
    `--temperature T      the model's sampling temperature, above 0 so answers differ (default ${SYNTH.temperature})`,
    '--criteria TEXT      what the judge compares (default: helpful, honest and harmless)',
    `--concurrency N      prompts worked on at once (default ${SYNTH.concurrency})`,
    '--dry-run            store nothing; report (and --out) the pairs only',
    '--out FILE           also write the pairs as JSONL {prompt, chosen, rejected, ...}',
    '--format table|json  a summary (default) or the whole result as JSON',
  ],
  async run(input) {
    const { values, io } = input;
    const problems: string[] = [];
    const need = (flag: string): string => {
      const v = values[flag] as string | undefined;
      if (!v) problems.push(`--${flag} is required`);
      return v ?? '';
    };
    const promptsFile = need('prompts');
    const modelUrl = need('model-url');
    const model = need('model');
    const judgeUrl = need('judge-url');
    const judgeModel = need('judge-model');
    const secondUrl = values['second-model-url'] as string | undefined;
    const secondModel = values['second-model'] as string | undefined;
    if ((secondUrl === undefined) !== (secondModel === undefined))
      problems.push('--second-model-url and --second-model go together');
    if (problems.length) throw new UsageError(problems.join('\n  '));
    const format = formatChoice(values.format);
    const nPerPrompt = integerOption(values['n-per-prompt'], '--n-per-prompt', 2);
    const concurrency = integerOption(values.concurrency, '--concurrency', 1);
    const temperature = values.temperature === undefined ? undefined : Number(values.temperature);
    if (temperature !== undefined && !(temperature >= 0 && temperature <= 2))
      throw new UsageError(
        `--temperature must be a number from 0 to 2, not ${JSON.stringify(values.temperature)}`,
      );
    for (const [flag, url] of [
      ['--model-url', modelUrl],
      ['--judge-url', judgeUrl],
      ...(secondUrl !== undefined ? [['--second-model-url', secondUrl] as const] : []),
    ] as const)
      if (!/^https?:\/\/[^/]/.test(url))
        throw new UsageError(`${flag} must be an http(s) URL up to /v1, not ${JSON.stringify(url)}`);
    const path = resolve(io.cwd, promptsFile);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read --prompts ${path}: ${(err as Error).message}`);
    }
    const prompts = parseSynthPrompts(text, promptsFile);

    const bar = progress(io, 'synth');
    const run = (store: Store | undefined) =>
      runSynth({
        prompts,
        model: { baseUrl: modelUrl, model, ...key(io.env.PREFLOOP_MODEL_API_KEY) },
        // Its own key: the second model may be another provider's, which must not see the first one's key.
        ...(secondUrl !== undefined && secondModel !== undefined
          ? {
              secondModel: {
                baseUrl: secondUrl,
                model: secondModel,
                ...key(io.env.PREFLOOP_SECOND_MODEL_API_KEY),
              },
            }
          : {}),
        judge: { baseUrl: judgeUrl, model: judgeModel, ...key(io.env.PREFLOOP_JUDGE_API_KEY) },
        ...(values.criteria ? { criteria: values.criteria as string } : {}),
        ...(nPerPrompt !== undefined ? { nPerPrompt } : {}),
        ...(temperature !== undefined ? { temperature } : {}),
        ...(concurrency !== undefined ? { concurrency } : {}),
        ...(store ? { store } : {}),
        onProgress: (p) => bar.update(`${p.done}/${p.prompts} prompts, ${p.pairs} pairs`),
      });
    let result: SynthResult;
    try {
      result = values['dry-run']
        ? await run(undefined)
        : await withClientStore(input, async (store) => {
            await requireSyntheticColumn(store);
            return run(store);
          });
    } finally {
      bar.done();
    }
    if (values.out) writePairs(input, values.out as string, result);
    io.stdout.write(format === 'json' ? JSON.stringify(result) + '\n' : summary(result, !values['dry-run']));
    return result.failed > 0 ? 1 : 0;
  },
};

function key(apiKey: string | undefined): { apiKey?: string } {
  return apiKey ? { apiKey } : {};
}

/** A store migrated before synth existed cannot mark verdicts synthetic: say how to upgrade it. */
async function requireSyntheticColumn(store: Store): Promise<void> {
  const columns = await store.query<{ name: string }>(rewardSql('synth_columns'));
  if (!columns.some((c) => c.name === 'Synthetic'))
    throw new UsageError(
      'the store has no judge_verdicts.Synthetic column yet: run `prefloop migrate` (or restart `prefloop serve`) to upgrade it',
    );
}

function writePairs(input: CommandInput, out: string, r: SynthResult): void {
  const path = resolve(input.io.cwd, out);
  const lines = r.pairs.map((p) =>
    JSON.stringify({
      ...p,
      source: 'judge',
      synthetic: true,
      judge_rubric: `${r.rubric.id}@${r.rubric.version}`,
    }),
  );
  try {
    writeFileSync(path, lines.length ? lines.join('\n') + '\n' : '');
  } catch (err) {
    throw new Error(`cannot write the pairs to ${path}: ${(err as Error).message}`, { cause: err });
  }
}

function summary(r: SynthResult, stored: boolean): string {
  const lines = [
    `${r.prompts} prompts: ${r.pairs.length} synthetic pairs, ${r.ties} ties, ${r.flips} order flips (ties), ${r.identical} identical answer pairs`,
    `  answers: ${r.answers.generated} generated, ${r.answers.reused} reused from the store; verdicts: ${r.verdicts.judged} judged, ${r.verdicts.reused} reused`,
    `  judge ${r.rubric.id}@${r.rubric.version}; ${stored ? 'stored as judge pairs marked synthetic (export takes them with --include-synthetic)' : 'dry run: nothing stored'}`,
  ];
  if (r.failed > 0) lines.push(`  ${r.failed} prompts failed, e.g.:`, ...r.errors.map((e) => `    ${e}`));
  return lines.join('\n') + '\n';
}
