// Pure helpers of `npm run bench:instructions` (bench/instructions.ts): its arguments, valgrind's count, its table.

/** The working tree, as a revision argument. */
export const WORKING_TREE = '.';

/** Revisions to compare: the arguments, or HEAD against the working tree. */
export function revisionsFrom(args: readonly string[]): string[] {
  const revisions = args.filter((a) => !a.startsWith('-'));
  return revisions.length > 0 ? revisions : ['HEAD', WORKING_TREE];
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
  instructions: number;
  /** Spans the harness ran and the bytes its rows encoded to (the same spans: equal bytes, equal output size). */
  spans: number;
  bytes: number;
}

/** The markdown report: each revision's count against the first's, and whether their rows encoded alike. */
export function renderCounts(counted: readonly Counted[]): string {
  const first = counted[0];
  if (!first) return 'No revision was counted.\n';
  const int = (n: number) => n.toLocaleString('en-US');
  const lines = [
    `| revision | commit | instructions (whole run) | vs ${first.revision} | spans | encoded bytes |`,
    '|---|---|---:|---:|---:|---:|',
    ...counted.map((c) => {
      const delta = c === first ? '—' : `${(100 * (c.instructions / first.instructions - 1)).toFixed(2)}%`;
      return `| ${c.revision} | ${c.commit} | ${int(c.instructions)} | ${delta} | ${int(c.spans)} | ${int(c.bytes)} |`;
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
    'Read differences under ~1% as equal: between builds of equivalent code, V8’s heuristics move this count ' +
      'by up to ~0.7%, while the same build repeats to ~0.01%. The count includes start-up and compiling ' +
      '(start-up alone is about a tenth of it), so a change moves it a little less than it moves the ' +
      'stages’ own work.',
    '',
  );
  return lines.join('\n');
}
