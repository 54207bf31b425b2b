// Runs the fenced code blocks of README.md and docs/*.md, so that every example there works as written.
//
// Convention (also in docs/development.md):
// - Every fence names its language. `sh`, `bash` and `shell` blocks run in bash with `set -eo pipefail`;
//   `js` blocks run as an .mjs file and `ts` blocks as a .ts file, with `node --import tsx`. Other languages
//   (`yaml`, `text`, …) are shown, not run.
// - `<!-- no-run: why -->` on the line before a block (blank lines between allowed) skips it; the reason is
//   required and shows as the skip message. For blocks that need a ClickHouse server, Docker, a model, a
//   public port, or that run the test suite itself.
// - `<!-- with-server -->` before a block: it talks to `prefloop serve` at 127.0.0.1:4318 (or
//   localhost:4318). The test starts one serve per file (from source, on a free port, on the file's
//   temporary store) and points the block's 127.0.0.1:4318 at it. The serve runs until the file's last
//   block, then gets SIGTERM and must exit 0 (its drain-and-flush). Later blocks of the file, like a reader
//   following the page, reach the same store through it.
//
// Where blocks run: the blocks of one file run in order, in one temporary folder under the repo's tmp/
// (ignored by git), so that `import … from 'prefloop'` resolves to this package by its own name and relative
// paths like `collector-config/rubrics.yaml` or `data/hh-rlhf/…` work as from a clone's root: the folder
// holds symlinks to the repo's collector-config/, examples/ and data/, and everything a block writes
// (exports, stores, prefloop.yaml) lands in the temporary folder, removed afterwards. PREFLOOP_STORE names an
// embedded store in that folder and TMPDIR points into it, so no block touches the repo's .prefloop/ or
// leaves files in the system temp. A shell function stands in for `npx` when its first argument is `prefloop`
// (npx's own start-up takes seconds): it runs the package's bin, bin/prefloop.js, as npx would, when dist/ is
// at least as new as every file under src/; otherwise the CLI from source (test/helpers/cliMain.ts, as the
// other CLI tests do), so a stale or missing build never hides a broken block.
//
// A file's store is migrated (`prefloop migrate`, as a first `prefloop serve` leaves it) before the first block
// that reads it with `prefloop sql|pairs|export` while no serve runs: the pages describe a store in use.
//
// PREFLOOP_DOCS_FILE=docs/pairs.md (a path or part of one) runs one page's blocks only.
//
// Blocks importing 'prefloop' need the package's "exports" entry and its built target (dist/); when either is
// missing those blocks are skipped with a message saying which, and so are the later blocks of the same file
// (they may read what the skipped one wrote).
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { packagePath, packageRoot } from '../../../src/paths.js';
import type { ServeChild } from '../faults/cliHarness.js';
import { ensureStopped, startServe } from '../faults/cliHarness.js';

const LAUNCHER = packagePath('test', 'helpers', 'cliMain.ts');
const BIN = packagePath('bin', 'prefloop.js');
/** Longest a single block may run (the demo and calibrate take seconds; a loaded 2-core machine, more). */
const BLOCK_LIMIT_MS = 120_000;
const SHELL_LANGS = new Set(['sh', 'bash', 'shell']);
const JS_LANGS = new Set(['js', 'javascript', 'mjs']);
const TS_LANGS = new Set(['ts', 'typescript']);
/** Repo entries a block may read by a relative path, as from a clone's root. */
const LINKED = ['collector-config', 'examples', 'data'];

interface Block {
  file: string;
  line: number;
  lang: string;
  code: string;
  noRun?: string;
  withServer: boolean;
}

/** The fenced blocks of a Markdown file, with the marker comment before each. */
function extractBlocks(file: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  let marker: { text: string; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(line);
    if (!open) {
      const comment = /^\s*<!--\s*(no-run|with-server)\b(.*?)-->\s*$/.exec(line);
      if (comment) marker = { text: `${comment[1]}${comment[2]}`.trim(), line: i + 1 };
      else if (line.trim() !== '') {
        assert.equal(
          marker,
          undefined,
          `${file}:${marker?.line}: a marker must sit right before a code block`,
        );
      }
      continue;
    }
    const [, indent, fence, info] = open as unknown as [string, string, string, string];
    const start = i + 1;
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i]!.trimStart().startsWith(fence); i++)
      body.push(lines[i]!.startsWith(indent) ? lines[i]!.slice(indent.length) : lines[i]!);
    assert.ok(i < lines.length, `${file}:${start}: code block never closed`);
    const lang = info.trim().split(/\s+/)[0] ?? '';
    assert.notEqual(
      lang,
      '',
      `${file}:${start}: a code block must name its language (text for plain output)`,
    );
    const block: Block = { file, line: start, lang, code: body.join('\n') + '\n', withServer: false };
    if (marker?.text.startsWith('no-run')) {
      const why = marker.text.replace(/^no-run:?/, '').trim();
      assert.notEqual(why, '', `${file}:${marker.line}: <!-- no-run: … --> needs a reason`);
      block.noRun = why;
    } else if (marker?.text === 'with-server') block.withServer = true;
    marker = undefined;
    blocks.push(block);
  }
  return blocks;
}

function isRunnable(lang: string): boolean {
  return SHELL_LANGS.has(lang) || JS_LANGS.has(lang) || TS_LANGS.has(lang);
}

/** Why blocks importing 'prefloop' cannot run here, or undefined when the package's entry point resolves. */
function entryPointProblem(): string | undefined {
  const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { exports?: unknown };
  if (pkg.exports === undefined)
    return 'package.json has no "exports" yet, so import … from \'prefloop\' does not resolve (the public entry point is being added)';
  const dot = typeof pkg.exports === 'string' ? pkg.exports : (pkg.exports as Record<string, unknown>)['.'];
  const target = typeof dot === 'string' ? dot : pickTarget(dot);
  if (!target) return 'package.json "exports" has no "." entry for import … from \'prefloop\'';
  if (!existsSync(packagePath(target)))
    return `the entry point ${target} is not built; run \`npm run build\` (npm install does it via prepare)`;
  return undefined;
}

function pickTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (!entry || typeof entry !== 'object') return undefined;
  const map = entry as Record<string, unknown>;
  for (const key of ['import', 'node', 'default']) {
    const found = pickTarget(map[key]);
    if (found) return found;
  }
  return undefined;
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Runs a command to completion, killing its whole process group after `limitMs`. */
function runBounded(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, BLOCK_LIMIT_MS);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) output += `\n[killed: still running after ${BLOCK_LIMIT_MS} ms]`;
      resolve({ code, signal, output });
    });
  });
}

/** The folder a file's blocks run in, set up as a clone's root would look to them. */
function makeWorkdir(file: string): string {
  const tmpRoot = packagePath('tmp');
  mkdirSync(tmpRoot, { recursive: true });
  const work = mkdtempSync(join(tmpRoot, `docs-${file.replace(/[^\w]+/g, '-')}-`));
  for (const name of LINKED)
    if (existsSync(packagePath(name))) symlinkSync(packagePath(name), join(work, name));
  mkdirSync(join(work, 'tmp'));
  return work;
}

function blockEnv(work: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PREFLOOP_LOG_LEVEL: 'warn' };
  delete env.PREFLOOP_CONFIG;
  delete env.NODE_OPTIONS;
  return { ...env, PREFLOOP_STORE: `embedded:${join(work, 'store')}`, TMPDIR: join(work, 'tmp') };
}

/** Newest modification time of the files under `dir` (0 when it does not exist). */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (entry.isFile()) max = Math.max(max, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  return max;
}

/** How `npx prefloop` runs here: node's arguments before the command's own. */
function cliArgs(): string[] {
  const built = packagePath('dist', 'cli', 'main.js');
  const fresh = existsSync(built) && statSync(built).mtimeMs >= newest(packagePath('src'));
  return fresh ? [BIN] : ['--import', 'tsx', LAUNCHER];
}

/** Stand-in for `npx prefloop …` (see the header); any other `npx` call goes to the real npx. */
function npxShim(cli: string[]): string {
  return [
    'npx() {',
    `  if [ "$1" = prefloop ]; then shift; node ${cli.map((a) => JSON.stringify(a)).join(' ')} "$@";`,
    '  else command npx "$@"; fi',
    '}',
  ].join('\n');
}

async function runBlock(
  block: Block,
  index: number,
  work: string,
  cli: string[],
  serverUrl: string | undefined,
): Promise<Run> {
  let code = block.code;
  if (serverUrl) code = code.replace(/https?:\/\/(?:127\.0\.0\.1|localhost):4318/g, serverUrl);
  const env = blockEnv(work);
  if (SHELL_LANGS.has(block.lang)) {
    const script = join(work, `block-${index}.sh`);
    writeFileSync(script, `set -eo pipefail\n${npxShim(cli)}\n${code}`);
    return runBounded('bash', [script], work, env);
  }
  const file = join(work, `block-${index}.${TS_LANGS.has(block.lang) ? 'ts' : 'mjs'}`);
  writeFileSync(file, code);
  return runBounded(process.execPath, ['--import', 'tsx', file], work, env);
}

const ONLY = process.env.PREFLOOP_DOCS_FILE;
const FILES = [
  'README.md',
  ...readdirSync(packagePath('docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
].filter((f) => !ONLY || f.includes(ONLY));

test('every Markdown code block names its language and its markers are well formed', () => {
  let runnable = 0;
  for (const file of FILES) {
    const blocks = extractBlocks(file, readFileSync(packagePath(file), 'utf8'));
    for (const b of blocks) {
      if (b.noRun !== undefined || b.withServer)
        assert.ok(isRunnable(b.lang), `${file}:${b.line}: a marker on a ${b.lang} block, which never runs`);
      if (isRunnable(b.lang) && b.noRun === undefined) runnable++;
    }
  }
  if (!ONLY) assert.ok(runnable >= 10, `only ${runnable} runnable blocks found: is the extractor broken?`);
});

for (const file of FILES) {
  // A page runs every block in turn (each bounded by BLOCK_LIMIT_MS): past the suite's 4-minute default.
  test(`the code blocks of ${file} run as written`, { timeout: 15 * 60_000 }, async (t: TestContext) => {
    const blocks = extractBlocks(file, readFileSync(packagePath(file), 'utf8')).filter((b) =>
      isRunnable(b.lang),
    );
    if (blocks.length === 0) {
      t.skip('no runnable blocks');
      return;
    }
    const work = makeWorkdir(file);
    const store = ['--store', `embedded:${join(work, 'store')}`];
    let serve: ServeChild | undefined;
    let migrated = false;
    let skippedForEntry: string | undefined;
    const entryProblem = entryPointProblem();
    const cli = cliArgs();
    try {
      for (const [index, block] of blocks.entries()) {
        const name = `${file}:${block.line} (${block.lang})`;
        const needsEntry = /from\s+['"]prefloop['"]/.test(block.code);
        const skip =
          block.noRun ??
          (needsEntry ? entryProblem : undefined) ??
          (skippedForEntry
            ? `follows a skipped block that imports 'prefloop': ${skippedForEntry}`
            : undefined);
        if (skip !== undefined) {
          if (needsEntry && block.noRun === undefined) skippedForEntry = entryProblem;
          await t.test(name, { skip });
          continue;
        }
        await t.test(name, async () => {
          if (block.withServer && !serve) {
            serve = await startServe(store, BLOCK_LIMIT_MS);
            migrated = true;
          }
          if (!serve && !migrated && /prefloop\s+(sql|pairs|export)\b/.test(block.code)) {
            const m = await runBounded(process.execPath, [...cli, 'migrate', ...store], work, blockEnv(work));
            assert.equal(m.code, 0, `prefloop migrate of the page's store failed:\n${m.output}`);
            migrated = true;
          }
          const result = await runBlock(block, index, work, cli, block.withServer ? serve!.url : undefined);
          assert.equal(
            result.code,
            0,
            `${name} failed (exit ${result.code}${result.signal ? `, ${result.signal}` : ''}):\n${block.code}\n--- output ---\n${result.output}`,
          );
        });
      }
      if (serve) {
        const exit = await serve.stop('SIGTERM', BLOCK_LIMIT_MS);
        assert.equal(exit.code, 0, `prefloop serve did not stop cleanly on SIGTERM:\n${serve.stderr()}`);
      }
    } finally {
      await ensureStopped(serve);
      rmSync(work, { recursive: true, force: true });
    }
    assert.ok(!existsSync(work), `${relative(packageRoot, work)} was not removed`);
  });
}
