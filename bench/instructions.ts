// `npm run bench:instructions -- [--runs N] [<revision> ...]`: the instructions prefloop's stages take over the
// same requests in each revision (default: HEAD, then the working tree `.`), counted by valgrind's cachegrind on
// a V8 made as deterministic as it goes (one thread, fixed seeds). Why: on a shared machine timed runs of
// identical code differ by up to 30%; these counts differ by a few per cent at most. Each revision is compiled
// with tsc into a temporary folder (a git worktree for a commit) and runs bench/instructionsHarness.mjs of this
// checkout over the same 30,720 distinct HH-RLHF spans. The revisions run side by side, N rounds (default 3),
// and the report says whether their ranges are apart. Needs valgrind (`apt install valgrind`); each round takes
// a minute or two. With `--profile [<revision>]` it runs one revision once under callgrind instead and lists the
// functions the instructions go to, V8's compiled JavaScript and regexes named through its perf map.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeBodies, loadConversations } from './llmSpans.js';
import { argsOf, instructionCount, renderCounts, WORKING_TREE, type Counted } from './instructionCount.js';
import { parsePerfMap, profileOf, renderProfile } from './instructionProfile.js';
import { serveNodeFlags } from './serveFlags.js';

/** Distinct spans (none repeats another): enough that the stages, not start-up, are most of the count. */
const SPANS = 30_720;
const PER_REQUEST = 512;
/** Deterministic V8: one thread (no concurrent compiling or GC), fixed seeds; the young generation npm start sets. */
const NODE_FLAGS = [
  '--single-threaded',
  '--predictable',
  '--hash-seed=7',
  '--random-seed=7',
  ...serveNodeFlags(),
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
  // Type errors in an older revision still emit JavaScript; only a missing output fails.
  const compiled = spawnSync(
    process.execPath,
    [tsc, '-p', join(tree, 'tsconfig.json'), '--outDir', join(work, 'dist')],
    { cwd: tree, encoding: 'utf8' },
  );
  if (!existsSync(join(work, 'dist', 'receive', 'decodeProtobuf.js'))) {
    const printed = `${compiled.stdout ?? ''}${compiled.stderr ?? ''}`
      .trim()
      .split('\n')
      .slice(-20)
      .join('\n');
    throw new Error(`tsc wrote no dist/ for ${revision}:\n${printed}`);
  }
  return tree;
}

/** Children still running, stopped on Ctrl-C. */
const running = new Set<ChildProcess>();

/**
 * The harness over a built revision under valgrind (`tool`: valgrind's options, `nodeFlags` ahead of the
 * shared ones): what it printed, and the spans and encoded bytes it reports; an error with valgrind's last
 * lines when it fails or the harness reports nothing.
 */
function harnessRun(
  what: string,
  tool: readonly string[],
  nodeFlags: readonly string[],
  work: string,
  tree: string,
  requests: string,
): Promise<{ stderr: string; spans: number; bytes: number }> {
  const args = [
    ...tool,
    process.execPath,
    ...nodeFlags,
    ...NODE_FLAGS,
    harness,
    join(work, 'dist'),
    requests,
    join(tree, 'collector-config', 'rubrics.yaml'),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('valgrind', args, { cwd: repo });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => reject(new Error(`valgrind could not run: ${err.message}`)));
    child.on('close', (status, signal) => {
      running.delete(child);
      const line = stdout.split('\n').find((l) => l.startsWith('RESULT '));
      if (signal) return reject(new Error(`valgrind was stopped by ${signal}`));
      if (status !== 0 || !line) {
        const printed = stderr.trim().split('\n').slice(-40).join('\n');
        return reject(new Error(`no ${what} (valgrind exited with ${status}):\n${printed}`));
      }
      const { spans, bytes } = JSON.parse(line.slice(7)) as { spans: number; bytes: number };
      resolve({ stderr, spans, bytes });
    });
  });
}

/** One run of a built revision: valgrind's total, and the spans and encoded bytes the harness reports. */
async function countOnce(
  revision: string,
  work: string,
  tree: string,
  requests: string,
): Promise<{ instructions: number; spans: number; bytes: number }> {
  const tool = ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null'];
  const { stderr, spans, bytes } = await harnessRun(`count for ${revision}`, tool, [], work, tree, requests);
  const instructions = instructionCount(stderr);
  if (instructions === undefined) throw new Error(`no count for ${revision}: cachegrind printed no total`);
  return { instructions, spans, bytes };
}

/**
 * One run under callgrind: the per-function profile of the run (`callgrind_annotate`, JIT addresses named
 * through the perf map `--perf-basic-prof` makes V8 write to /tmp/perf-<pid>.map, removed afterwards).
 */
async function profileOnce(work: string, tree: string, requests: string, top: number): Promise<string> {
  const out = join(work, 'callgrind.out');
  const tool = ['--tool=callgrind', `--callgrind-out-file=${out}`];
  const { spans } = await harnessRun('profile', tool, ['--perf-basic-prof'], work, tree, requests);
  // The pid is node's own (valgrind runs it in its process), which names V8's map file. It is in the
  // output's header: only that is read, not the megabytes after it.
  const pid = /^pid: (\d+)$/m.exec(fileStart(out, 4096))?.[1];
  if (pid === undefined) throw new Error(`${out} names no pid: not a callgrind output`);
  const mapFile = `/tmp/perf-${pid}.map`;
  try {
    const ranges = parsePerfMap(readFileSync(mapFile, 'utf8'));
    const annotated = run('callgrind_annotate', ['--threshold=100', out]).stdout;
    return renderProfile(profileOf(annotated, ranges), spans, top);
  } finally {
    rmSync(mapFile, { force: true });
  }
}

/** The first `bytes` bytes of a file, as text. */
function fileStart(path: string, bytes: number): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.toString('utf8', 0, readSync(fd, buf, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

async function main(): Promise<void> {
  const { revisions, runs, profile, top } = argsOf(process.argv.slice(2));
  try {
    run('valgrind', ['--version']);
  } catch {
    throw new Error(
      'valgrind is needed to count instructions: install it (apt install valgrind) and run again',
    );
  }
  const commits = revisions.map(commitOf);
  const root = mkdtempSync(join(tmpdir(), 'prefloop-instructions-'));
  const work = revisions.map((_, i) => join(root, String(i)));
  try {
    const requests = join(root, 'requests.bin');
    writeRequests(requests);
    const trees = revisions.map((revision, i) => {
      mkdirSync(work[i]!, { recursive: true });
      return build(revision, commits[i]!, work[i]!);
    });
    if (profile) {
      log(`profiling ${revisions[0]} under callgrind (a few minutes)`);
      process.stdout.write(await profileOnce(work[0]!, trees[0]!, requests, top));
      return;
    }
    const counted: Counted[] = revisions.map((revision, i) => ({
      revision,
      commit: commits[i]!,
      runs: [],
      spans: 0,
      bytes: 0,
    }));
    for (let round = 1; round <= runs; round++) {
      log(`round ${round} of ${runs}: ${revisions.join(', ')} side by side under cachegrind`);
      const results = await Promise.all(
        revisions.map((revision, i) => countOnce(revision, work[i]!, trees[i]!, requests)),
      );
      results.forEach((r, i) => {
        const c = counted[i]!;
        c.runs.push(r.instructions);
        c.spans = r.spans;
        c.bytes = r.bytes;
      });
    }
    process.stdout.write(renderCounts(counted));
  } finally {
    for (const child of running) child.kill('SIGINT');
    revisions.forEach((revision, i) => {
      if (revision !== WORKING_TREE)
        spawnSync('git', ['worktree', 'remove', '--force', join(work[i]!, 'tree')], { cwd: repo });
    });
    rmSync(root, { recursive: true, force: true });
  }
}

// Ctrl-C stops the counts still running; main() then cleans up its worktrees on the way out (without a handler,
// Node would exit at once and leave them registered in .git/worktrees).
process.on('SIGINT', () => {
  process.exitCode = 130;
  for (const child of running) child.kill('SIGINT');
});
main().catch((err: unknown) => {
  log((err as Error).message);
  process.exitCode = 1;
});
