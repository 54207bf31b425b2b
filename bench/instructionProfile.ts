// Pure helpers of `npm run bench:instructions -- --profile`: callgrind's per-function counts, with the functions V8
// compiled at run time (which valgrind knows only by address) named through V8's perf map, summed by name.

/** One function's self count. */
export interface ProfileRow {
  name: string;
  instructions: number;
}

/** Code V8 made at run time: an address range and what it is (`JS:*scanPlain file:///…/text.js:1:3358`). */
export interface CodeRange {
  start: number;
  size: number;
  name: string;
}

/**
 * The lines of a perf map (`--perf-basic-prof`: `<start hex> <size hex> <name>` per line), sorted by start.
 * Lines of another shape are skipped: the file is written while code is made and may end mid-line.
 */
export function parsePerfMap(text: string): CodeRange[] {
  const ranges: CodeRange[] = [];
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.+)$/i.exec(line);
    if (m) ranges.push({ start: parseInt(m[1]!, 16), size: parseInt(m[2]!, 16), name: m[3]! });
  }
  return ranges.sort((a, b) => a.start - b.start);
}

/**
 * The name of the range holding `address`, or undefined. V8 can reuse an address for new code after the
 * old was collected; the map then lists both, and the later line (the one sorted last among equal starts)
 * names it, which is the code that lived longest in a run dominated by its steady state.
 */
export function nameAt(ranges: readonly CodeRange[], address: number): string | undefined {
  let lo = 0;
  let hi = ranges.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid]!.start <= address) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found === -1) return undefined;
  const r = ranges[found]!;
  return address < r.start + r.size ? r.name : undefined;
}

/**
 * The program total and per-function self counts of `callgrind_annotate` output (`1,234 (5.06%)  file:function
 * [object]` lines). A function without a symbol reads `???:0x…` and is looked up in `ranges`; the rest keep
 * their symbol (a C++ one without its argument list). Rows of one name are summed: the same JS function
 * compiled more than once, or a C++ overload set.
 */
export function profileOf(
  annotated: string,
  ranges: readonly CodeRange[],
): { total: number; rows: ProfileRow[] } {
  let total = 0;
  const byName = new Map<string, number>();
  for (const line of annotated.split('\n')) {
    const m = /^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.+?)\s*$/.exec(line);
    if (!m) continue;
    const count = Number(m[1]!.replaceAll(',', ''));
    const what = m[2]!;
    if (what.startsWith('PROGRAM TOTALS')) {
      total = count;
      continue;
    }
    const name = functionName(what, ranges);
    byName.set(name, (byName.get(name) ?? 0) + count);
  }
  const rows = [...byName].map(([name, instructions]) => ({ name, instructions }));
  rows.sort((a, b) => b.instructions - a.instructions || (a.name < b.name ? -1 : 1));
  return { total, rows };
}

function functionName(what: string, ranges: readonly CodeRange[]): string {
  // `file:function [object]`; the file is ??? without debug information, which node's own binary has not.
  const withoutObject = what.replace(/ \[[^\]]*\]$/, '');
  const colon = withoutObject.indexOf(':');
  const fn = colon === -1 ? withoutObject : withoutObject.slice(colon + 1);
  const address = /^0x([0-9a-f]+)$/i.exec(fn);
  if (address) {
    const name = nameAt(ranges, parseInt(address[1]!, 16));
    return name === undefined ? 'unnamed code (not in the perf map)' : shortJsName(name);
  }
  // A C++ symbol without its parameters, so overloads and template instances with long argument lists read short.
  const paren = fn.indexOf('(');
  return paren > 0 ? fn.slice(0, paren) : fn;
}

/** `JS:*scanPlain file:///tmp/x/dist/score/evaluators/text.js:1:3358` → `JS:*scanPlain score/evaluators/text.js`. */
function shortJsName(name: string): string {
  return name.replace(/file:\/\/\S*?\/dist\//, '').replace(/:\d+:\d+$/, '');
}

/** The profile as a Markdown table: the `top` largest functions, per span and as a share of the whole run. */
export function renderProfile(
  profile: { total: number; rows: readonly ProfileRow[] },
  spans: number,
  top: number,
): string {
  const { total, rows } = profile;
  const perSpan = (n: number) => Math.round(n / spans).toLocaleString('en-US');
  const share = (n: number) => (total > 0 ? `${((100 * n) / total).toFixed(2)}%` : '—');
  const lines = [
    `Instructions in each function itself (not its callees), over ${spans.toLocaleString('en-US')} spans; ` +
      `whole run ${total.toLocaleString('en-US')}, ${perSpan(total)} a span (start-up and compiling included).`,
    '',
    '| instructions a span | share | function |',
    '|---:|---:|---|',
    ...rows
      .slice(0, top)
      .map((r) => `| ${perSpan(r.instructions)} | ${share(r.instructions)} | ${cell(r.name)} |`),
    '',
    'JS:* is code TurboFan optimised, JS:^ Sparkplug, JS:~ the interpreter; RegExp: is a compiled regex. A ' +
      'profiled run counts a few per cent more than a plain count (writing the perf map is in it), and runs of ' +
      'one build move by up to ~2% as a whole, so read small differences between two profiles with care.',
    '',
  ];
  return lines.join('\n');
}

/** Longest name shown in full: a regex union is its whole source, thousands of characters. */
const NAME_MAX = 100;

/** Text safe inside a Markdown table cell, cut to NAME_MAX characters. */
function cell(text: string): string {
  const shown = text.length > NAME_MAX ? text.slice(0, NAME_MAX - 1) + '…' : text;
  return shown.replaceAll('|', '\\|');
}
