// `import … from 'prefloop'` as a user gets it: the packed tarball, installed in a new project outside the
// repo, runs the in-process example of docs/library.md, type-checks against the shipped declarations, and
// its `prefloop` command runs (`npx prefloop` from the install and from the clone).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packagePath, packageRoot } from '../../../src/paths.js';
import { loadRubricFile } from '../../../src/score/RubricFile.js';
import { assertOk, childEnv, installInNewProject, packTarball, run } from './installTarball.js';

/** Bounds on a loaded 2-core machine: a full tsc build inside `npm pack`, npm start-up, chDB start-up. */
const PACK_MS = 180_000;
const INSTALL_MS = 60_000;
const STEP_MS = 60_000;

/** docs/library.md, "Store spans straight from your app", as written there. */
const EXAMPLE = `import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { PrefloopStoreExporter, RubricSpanProcessor, Scorer, loadRubricFile } from 'prefloop';

const scorer = new Scorer(loadRubricFile('collector-config/rubrics.yaml'), { skipJudges: true });
const exporter = new PrefloopStoreExporter({ store: 'embedded:.prefloop-library' }); // or http://user:pass@host:8123/prefloop
const provider = new BasicTracerProvider({
  spanProcessors: [new RubricSpanProcessor(new BatchSpanProcessor(exporter), scorer)],
});

// An LLM call, instrumented with OpenInference attributes.
const span = provider.getTracer('my-llm-app').startSpan('chat');
span.setAttributes({
  'openinference.span.kind': 'LLM',
  'session.id': 'session-1',
  'llm.input_messages.0.message.role': 'user',
  'llm.input_messages.0.message.content': 'What is the capital of France?',
  'llm.output_messages.0.message.role': 'assistant',
  'llm.output_messages.0.message.content': 'Paris is the capital of France.',
});
span.end();

await provider.shutdown(); // flushes: spans in otel_traces, their rubric scores in evaluations
`;

/** Appended to the example (not in the docs): what the test checks about the package besides. */
const PROBE = `
import { createRequire } from 'node:module';
const prefloop = await import('prefloop');
const deepImport = await import('prefloop/dist/sink/rows.js').then(
  () => 'resolved',
  (err) => err.code,
);
console.log(JSON.stringify({
  span: span.spanContext(),
  deepImport,
  packageJson: createRequire(import.meta.url)('prefloop/package.json').name,
  defaultRubricFile: prefloop.DEFAULT_RUBRIC_FILE,
  defaultRubricIds: prefloop.loadRubricFile(prefloop.DEFAULT_RUBRIC_FILE).rubrics.map((r) => r.id),
}));
`;

/** The same code in TypeScript, with the types a user writes against and two checks that they are not `any`. */
const TYPED = `${EXAMPLE.replace(
  "import { PrefloopStoreExporter, RubricSpanProcessor, Scorer, loadRubricFile } from 'prefloop';",
  `import { PrefloopStoreExporter, RubricSpanProcessor, Scorer, loadRubricFile, DEFAULT_RUBRIC_FILE } from 'prefloop';
import type { EvaluationRecord, PrefloopStoreExporterOptions, RubricSet, Store } from 'prefloop';`,
)}
const options: PrefloopStoreExporterOptions = { store: 'embedded:.prefloop-library' };
const bundled: RubricSet = loadRubricFile(DEFAULT_RUBRIC_FILE);
const ids: string[] = bundled.rubrics.map((r) => r.id);
const close = (store: Store): Promise<void> => store.close();
const score = (e: EvaluationRecord): number | null => e.score;
// @ts-expect-error a misspelt option is a type error: the declarations are real, not \`any\`
new Scorer(bundled, { skipJudge: true });
// @ts-expect-error a processor needs the processor it wraps
new RubricSpanProcessor(scorer);
// @ts-expect-error internal modules are not in the package's "exports"
await import('prefloop/dist/sink/rows.js');
export { options, ids, close, score };
`;

interface Probe {
  span: { traceId: string; spanId: string };
  deepImport: string;
  packageJson: string;
  defaultRubricFile: string;
  defaultRubricIds: string[];
}

interface LandedRow {
  TraceId: string;
  SpanId: string;
  SpanName: string;
  session: string;
  Name: string;
  Score: number | null;
  Label: string;
}

let work: string | undefined;
let project: string | undefined;
let env: NodeJS.ProcessEnv;

before(
  async () => {
    work = mkdtempSync(join(tmpdir(), 'prefloop-pack-'));
    env = childEnv(join(work, 'npm-cache'));
    const tarball = await packTarball(work, env, PACK_MS);
    project = await installInNewProject(tarball, env, INSTALL_MS);
  },
  { timeout: PACK_MS + INSTALL_MS + 30_000 },
);

after(() => {
  for (const dir of [project, work]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The consumer project, with prefloop installed from the tarball. */
function projectDir(): string {
  assert.ok(project, 'the package was not installed (see the before hook)');
  return project;
}

function installed(): string {
  return join(projectDir(), 'node_modules', 'prefloop');
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
    statSync(join(dir, f)).isFile(),
  );
}

test('the tarball holds the build with its declarations and the runtime files, no TypeScript sources or maps', () => {
  const files = filesUnder(installed());
  for (const needed of [
    'package.json',
    'bin/prefloop.js',
    'dist/index.js',
    'dist/index.d.ts',
    'dist/cli/main.js',
    'collector-config/rubrics.yaml',
    'examples/demo-conversations.json',
  ])
    assert.ok(files.includes(needed), `${needed} is missing from the tarball`);
  const sql = (dir: string) => files.filter((f) => f.startsWith(dir) && f.endsWith('.sql'));
  assert.ok(sql('src/sink/migrations/').length > 0, 'the migrations (read at run time) are missing');
  assert.ok(sql('src/views/').length > 0, 'the view files (read at run time) are missing');
  assert.ok(sql('src/export/sql/').length > 0, 'the export queries (read at run time) are missing');
  assert.deepEqual(
    files.filter((f) => (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.endsWith('.map')),
    [],
    'TypeScript sources and source maps stay out of the tarball',
  );
});

test('the in-process example of docs/library.md runs from the install and lands in the store', async () => {
  const root = projectDir();
  // The example reads its rubric file from the working folder: a user's own copy of the shipped one.
  mkdirSync(join(root, 'collector-config'), { recursive: true });
  copyFileSync(
    join(installed(), 'collector-config', 'rubrics.yaml'),
    join(root, 'collector-config', 'rubrics.yaml'),
  );
  writeFileSync(join(root, 'example.mjs'), EXAMPLE + PROBE);
  const out = assertOk(
    'node example.mjs',
    await run(process.execPath, ['example.mjs'], { cwd: root, env, limitMs: STEP_MS }),
  );
  const probe = JSON.parse(out.trim().split('\n').at(-1)!) as Probe;
  assert.equal(probe.deepImport, 'ERR_PACKAGE_PATH_NOT_EXPORTED', 'internal modules stay private');
  assert.equal(probe.packageJson, 'prefloop');
  assert.equal(probe.defaultRubricFile, join(installed(), 'collector-config', 'rubrics.yaml'));

  // The docs' next step: look at what landed, with the installed command.
  const rows = assertOk(
    'npx prefloop sql',
    await run(
      'npx',
      [
        'prefloop',
        'sql',
        '--format',
        'json',
        '--store',
        'embedded:.prefloop-library',
        `SELECT t.TraceId AS TraceId, t.SpanId AS SpanId, t.SpanName AS SpanName,
                t.SpanAttributes['session.id'] AS session, e.Name AS Name, e.Score AS Score, e.Label AS Label
         FROM evaluations AS e INNER JOIN otel_traces AS t ON e.TraceId = t.TraceId AND e.SpanId = t.SpanId
         ORDER BY Name`,
      ],
      { cwd: root, env, limitMs: STEP_MS },
    ),
  )
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as LandedRow);
  assert.ok(rows.length > 0, 'no rubric evaluation of the example span landed in the store');
  const rubricIds = loadRubricFile(packagePath('collector-config', 'rubrics.yaml')).rubrics.map((r) => r.id);
  assert.deepEqual(probe.defaultRubricIds, rubricIds);
  for (const row of rows) {
    assert.equal(row.TraceId, probe.span.traceId);
    assert.equal(row.SpanId, probe.span.spanId);
    assert.equal(row.SpanName, 'chat');
    assert.equal(row.session, 'session-1');
    assert.ok(rubricIds.includes(row.Name), `${row.Name} is not a rubric of the file`);
  }
  assert.equal(new Set(rows.map((r) => r.Name)).size, rows.length, 'one result per rubric');
});

test('the same code type-checks against the installed declarations (tsc, strict, nodenext)', async () => {
  const root = projectDir();
  writeFileSync(join(root, 'check.ts'), TYPED);
  const tsc = packagePath('node_modules', 'typescript', 'bin', 'tsc');
  const r = await run(
    process.execPath,
    [
      tsc,
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--types',
      'node',
      // @types/node as the repo installed it (a user has it in their own project; the temp project does not).
      '--typeRoots',
      packagePath('node_modules', '@types'),
      // The dependencies' own declarations are theirs to check (and take most of the time).
      '--skipLibCheck',
      'check.ts',
    ],
    { cwd: root, env, limitMs: STEP_MS },
  );
  assert.equal(r.code, 0, `tsc found errors:\n${r.stdout}${r.stderr}`);
});

test('`npx prefloop --help` runs from the install and from the clone', async () => {
  const root = projectDir();
  const fromInstall = assertOk(
    'npx prefloop --help (install)',
    await run('npx', ['prefloop', '--help'], { cwd: root, env, limitMs: STEP_MS }),
  );
  assert.match(fromInstall, /Usage: prefloop <command>/);

  // From the clone, npx links the clone itself; its bin loads the clone's dist/, built here when missing.
  // ignore_scripts: that link would otherwise run `prepare` (a full tsc build into the shared dist/).
  if (!existsSync(packagePath('dist', 'cli', 'main.js')))
    await run('npm', ['run', 'build'], { cwd: packageRoot, env, limitMs: PACK_MS });
  const fromClone = assertOk(
    'npx prefloop --help (clone)',
    await run('npx', ['prefloop', '--help'], {
      cwd: packageRoot,
      env: { ...env, npm_config_ignore_scripts: 'true' },
      limitMs: STEP_MS,
    }),
  );
  assert.match(fromClone, /Usage: prefloop <command>/);
});
