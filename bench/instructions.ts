// `npm run bench:instructions -- [<revision> ...]`: the instructions prefloop's stages take over the same
// requests in each revision (default: HEAD, then the working tree `.`), counted by valgrind's cachegrind on a
// V8 made deterministic. Why: on a shared machine timed runs of identical code differ by up to 30%, while this
// count repeats to ~0.01% (see the README's Performance section). Each revision is compiled with tsc into a
// temporary folder (a git worktree for a commit) and runs bench/instructionsHarness.mjs of this checkout, so
// every revision runs the same harness over the same 30,720 distinct HH-RLHF spans. Needs valgrind
// (`apt install valgrind`); takes two or three minutes a revision.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeBodies, loadConversations } from './llmSpans.js';
import {
  instructionCount,
  renderCounts,
  revisionsFrom,
  WORKING_TREE,
  type Counted,
} from './instructionCount.js';

/** Distinct spans (none repeats another): enough that the stages, not start-up, are most of the count. */
const SPANS = 30_720;
const PER_REQUEST = 512;
/** Deterministic V8: one thread (no concurrent compiling or GC), fixed seeds; the young generation npm start sets. */
const NODE_FLAGS = [
  '--single-threaded',
  '--predictable',
  '--hash-seed=7',
  '--random-seed=7',
  '--max-semi-space-size=64',
];

const repo = fileURLToPath(new URL('..', import.meta.url));
const harness = fileURLToPath(new URL('./instructionsHarness.mjs', import.meta.url));
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');

function log(message: string): void {
  process.stderr.write(`bench:instructions: ${message}\n`);
}

/** Runs a command to the end; its output, or an error naming it and what it printed. */
function run(command: string, args: readonly string[], cwd = repo): { stdout: string; stderr: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`${command} could not run: ${r.error.message}`);
  if (r.signal) throw new Error(`${command} was stopped by ${r.signal}`);
  if (r.status !== 0) {
    // The end of what it printed: valgrind's own banner and summary would bury the program's error.
    const printed = (r.stderr || r.stdout).trim().split('\n').slice(-40).join('\n');
    throw new Error(`${command} ${args.join(' ')} exited with ${r.status}:\n${printed}`);
  }
  return { stdout: r.stdout, stderr: r.stderr };
}

/** The requests, each preceded by its length (uint32 LE), as the harness reads them. */
function writeRequests(file: string): void {
  const { conversations, source } = loadConversations();
  const { bodies } = encodeBodies(conversations, SPANS, PER_REQUEST);
  const parts: Buffer[] = [];
  for (const body of bodies) {
    const length = Buffer.alloc(4);
    length.writeUInt32LE(body.length);
    parts.push(length, Buffer.from(body));
  }
  writeFileSync(file, Buffer.concat(parts));
  log(`${SPANS.toLocaleString('en-US')} spans from ${source}, ${bodies.length} requests`);
}

/** The short commit a revision names, or 'working tree' (before any work: a typo fails at once). */
function commitOf(revision: string): string {
  if (revision === WORKING_TREE) return 'working tree';
  return run('git', ['rev-parse', '--short', `${revision}^{commit}`]).stdout.trim();
}

/** Compiles the revision's src/ into `work/dist`; returns its source tree. */
function build(revision: string, commit: string, work: string): string {
  // Packages resolve from work/node_modules, for tsc in a worktree and for the compiled code alike.
  symlinkSync(join(repo, 'node_modules'), join(work, 'node_modules'), 'dir');
  let tree = repo;
  if (revision !== WORKING_TREE) {
    tree = join(work, 'tree');
    run('git', ['worktree', 'add', '--detach', tree, commit]);
  }
  // Type errors in an older revision still emit JavaScript; only a missing output fails below.
  spawnSync(process.execPath, [tsc, '-p', join(tree, 'tsconfig.json'), '--outDir', join(work, 'dist')], {
    cwd: tree,
    encoding: 'utf8',
  });
  return tree;
}

function count(revision: string, commit: string, work: string, requests: string): Counted {
  mkdirSync(work, { recursive: true });
  const tree = build(revision, commit, work);
  log(`${revision} (${commit}): counting under cachegrind`);
  const { stdout, stderr } = run('valgrind', [
    '--tool=cachegrind',
    '--cache-sim=no',
    '--cachegrind-out-file=/dev/null',
    process.execPath,
    ...NODE_FLAGS,
    harness,
    join(work, 'dist'),
    requests,
    join(tree, 'collector-config', 'rubrics.yaml'),
  ]);
  const instructions = instructionCount(stderr);
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (instructions === undefined || !line)
    throw new Error(`no count for ${revision}: valgrind printed\n${stderr.slice(-2000)}`);
  const { spans, bytes } = JSON.parse(line.slice(7)) as { spans: number; bytes: number };
  return { revision, commit, instructions, spans, bytes };
}

function main(): void {
  const revisions = revisionsFrom(process.argv.slice(2));
  try {
    run('valgrind', ['--version']);
  } catch {
    throw new Error(
      'valgrind is needed to count instructions: install it (apt install valgrind) and run again',
    );
  }
  const commits = revisions.map(commitOf);
  const root = mkdtempSync(join(tmpdir(), 'prefloop-instructions-'));
  const counted: Counted[] = [];
  try {
    const requests = join(root, 'requests.bin');
    writeRequests(requests);
    revisions.forEach((revision, i) =>
      counted.push(count(revision, commits[i]!, join(root, String(i)), requests)),
    );
  } finally {
    revisions.forEach((revision, i) => {
      if (revision !== WORKING_TREE)
        spawnSync('git', ['worktree', 'remove', '--force', join(root, String(i), 'tree')], { cwd: repo });
    });
    rmSync(root, { recursive: true, force: true });
  }
  process.stdout.write(renderCounts(counted));
}

// Ctrl-C reaches valgrind too, which ends its run; main() then fails and cleans up its worktrees on the way out
// (without a handler, Node would exit at once and leave them registered in .git/worktrees).
process.on('SIGINT', () => (process.exitCode = 130));
try {
  main();
} catch (err) {
  log((err as Error).message);
  process.exitCode = 1;
}
