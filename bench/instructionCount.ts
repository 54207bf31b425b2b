// Pure helpers of `npm run bench:instructions` (bench/instructions.ts): its arguments, valgrind's count, its table.

/** The working tree, as a revision argument. */
export const WORKING_TREE = '.';

/** Counts per revision when `--runs` is not given: enough to see the spread, in a few minutes. */
export const DEFAULT_RUNS = 3;

/** Rows a profile shows when `--top` is not given. */
export const DEFAULT_TOP = 40;

/** What the command line asks for. */
export interface InstructionArgs {
  /** Revisions to compare (the arguments, or HEAD against the working tree); one to profile (else `.`). */
  revisions: string[];
  /** Counts of each revision (`--runs N`). */
  runs: number;
  /** Profile one revision by function (`--profile`) instead of counting revisions side by side. */
  profile: boolean;
  /** Functions the profile lists (`--top N`). */
  top: number;
}

/** The arguments; an error naming a wrong one (an unknown flag is not silently ignored). */
export function argsOf(args: readonly string[]): InstructionArgs {
  const revisions: string[] = [];
  let runs = DEFAULT_RUNS;
  let runsGiven = false;
  let profile = false;
  let top = DEFAULT_TOP;
  const wholeNumber = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < 1)
      throw new Error(`${flag} takes a whole number ≥ 1, not ${value ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') continue; // npm run passes its own separator through
    if (a === '--runs') {
      runs = wholeNumber(a, args[++i]);
      runsGiven = true;
    } else if (a === '--top') top = wholeNumber(a, args[++i]);
    else if (a === '--profile') profile = true;
    else if (a.startsWith('-'))
      throw new Error(`unknown option ${a} (options: --runs N, --profile, --top N)`);
    else revisions.push(a);
  }
  if (profile) {
    if (revisions.length > 1) throw new Error(`--profile takes one revision, not ${revisions.join(' ')}`);
    if (runsGiven) throw new Error('--profile runs once: --runs does not apply');
    return { revisions: revisions.length > 0 ? revisions : [WORKING_TREE], runs: 1, profile, top };
  }
  return { revisions: revisions.length > 0 ? revisions : ['HEAD', WORKING_TREE], runs, profile, top };
}

/** The total instruction count cachegrind prints on stderr (`==123== I refs: 11,395,361,197`), or undefined. */
export function instructionCount(stderr: string): number | undefined {
  const m = /^==\d+==\s+I\s+refs:\s+([\d,]+)\s*$/m.exec(stderr);
  return m ? Number(m[1]!.replaceAll(',', '')) : undefined;
}

/** One revision's measurement. */
export interface Counted {
  revision: string;
  /** The commit it resolved to (short), or 'working tree'. */
  commit: string;
  /** Each run's whole-run count, in run order. */
  runs: number[];
  /** Spans the harness ran and the bytes its rows encoded to (the same spans: equal bytes, equal output size). */
  spans: number;
  bytes: number;
}

/** The median (the lower middle of an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * The markdown report: each revision's median against the first's, its runs' range, and whether the two
 * ranges are apart (only then does the count tell the revisions apart); then whether their rows encoded alike.
 */
export function renderCounts(counted: readonly Counted[]): string {
  const first = counted[0];
  if (!first) return 'No revision was counted.\n';
  const int = (n: number) => n.toLocaleString('en-US');
  const percent = (x: number, of: number) => `${x >= of ? '+' : ''}${(100 * (x / of - 1)).toFixed(2)}%`;
  const base = median(first.runs);
  const lines = [
    `| revision | commit | median instructions (whole run) | vs ${first.revision} | runs: lowest – highest | told apart from ${first.revision} |`,
    '|---|---|---:|---:|---|---|',
    ...counted.map((c) => {
      const m = median(c.runs);
      const low = Math.min(...c.runs);
      const high = Math.max(...c.runs);
      const n = c.runs.length;
      const spread = `${int(low)} – ${int(high)} (${n} run${n === 1 ? '' : 's'}, ${percent(high, low)})`;
      if (c === first) return `| ${c.revision} | ${c.commit} | ${int(m)} | — | ${spread} | — |`;
      const apart = low > Math.max(...first.runs) || high < Math.min(...first.runs);
      // One run has no range: two single counts always "differ", which says nothing.
      const verdict =
        n < 2 || first.runs.length < 2
          ? 'not known: one run gives no range'
          : apart
            ? 'yes: the ranges do not meet'
            : 'no: the ranges overlap';
      return `| ${c.revision} | ${c.commit} | ${int(m)} | ${percent(m, base)} | ${spread} | ${verdict} |`;
    }),
    '',
  ];
  const differing = counted.filter((c) => c.bytes !== first.bytes || c.spans !== first.spans);
  lines.push(
    differing.length === 0
      ? 'Every revision encoded the same spans to the same number of bytes.'
      : `Encoded output differs from ${first.revision} in ${differing.map((c) => c.revision).join(', ')}: ` +
          'the revisions do not write the same rows, so their counts are not for the same work.',
    '',
    'Why several runs: even a deterministic V8 (one thread, fixed seeds) times some of its own decisions (when ' +
      'to collect garbage, how far to grow the heap), so one build has counted up to ~2% apart from run to run ' +
      '(nine runs at different times on prefloop’s 2-core development machine: 16.57–16.86 billion), while ' +
      'runs started together agreed to ~0.01%. So the revisions run side by side, round after round. A ' +
      'difference inside the runs’ ranges is not resolved; one under ~2% that the ranges do separate is worth ' +
      'more rounds (--runs) before it is relied on. The count includes start-up and compiling (start-up alone ' +
      'is about a tenth of it).',
    '',
  );
  return lines.join('\n');
}
