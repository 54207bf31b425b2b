// The package as a user gets it: `npm pack` of a clean build, installed into a new project outside the repo.
//
// Packing happens in a staging copy (package.json, tsconfig.json and what "files" names, plus src/), so the
// tarball holds a fresh build of the current src/ — no stale dist/ files — and the repo's own dist/ is not
// touched. `npm pack` runs the package's `prepare` (tsc), exactly as `npm publish` would.
//
// Installing uses no network and no shared npm cache: the project starts with the tarball's dependency
// closure taken from the repo's node_modules (the non-dev entries of package-lock.json), so npm finds every
// dependency satisfied and adds only prefloop. Packages with dependencies or bins are copied, because npm
// resolves a symlinked package's dependencies from its real location and would reinstall them; leaf
// packages (chDB's 540 MB native library among them) are symlinked.
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { packagePath, packageRoot } from '../../../src/paths.js';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface PackageJson {
  name: string;
  version: string;
  files?: string[];
  bin?: string | Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
}

/**
 * Environment for npm and the installed package: offline, a private npm cache, no audit/fund/update
 * chatter, and none of the runner's prefloop variables.
 */
export function childEnv(npmCache: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // npm_* from an enclosing `npm test` would override the settings below.
    if (k.startsWith('PREFLOOP_') || k.toLowerCase().startsWith('npm_')) continue;
    env[k] = v;
  }
  return {
    ...env,
    npm_config_cache: npmCache,
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'error',
  };
}

/** Runs a command to completion; past `limitMs` kills its whole process group and fails saying so. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; limitMs: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so a timeout also ends grandchildren (npm → tsc)
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      reject(
        new Error(
          `${command} ${args.join(' ')} (in ${options.cwd}) did not finish within ${options.limitMs} ms\n` +
            `stdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, options.limitMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Fails with the command's output unless it exited 0. */
export function assertOk(what: string, r: RunResult): string {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/**
 * Packs the current src/ into `<into>/prefloop-<version>.tgz` through a staging copy (see the file header);
 * returns the tarball's path.
 */
export async function packTarball(into: string, env: NodeJS.ProcessEnv, limitMs: number): Promise<string> {
  const pkg = readJson<PackageJson>(packagePath('package.json'));
  const staging = join(into, 'staging');
  mkdirSync(staging, { recursive: true });
  // Top-level entries the tarball can hold ("src/**/*.sql" → src), except dist/, which is built here.
  const entries = new Set(['package.json', 'tsconfig.json', 'src', '.npmignore', '.gitignore', 'README.md']);
  for (const f of pkg.files ?? []) if (!f.startsWith('!')) entries.add(f.split('/')[0]!);
  entries.delete('dist');
  for (const name of readdirSync(packageRoot)) {
    if (entries.has(name) || /^(LICENSE|LICENCE|NOTICE)/i.test(name))
      cpSync(join(packageRoot, name), join(staging, name), { recursive: true, verbatimSymlinks: true });
  }
  // The build (prepare → tsc) resolves the compiler and the dependencies' types from the repo's install.
  symlinkSync(packagePath('node_modules'), join(staging, 'node_modules'), 'dir');
  const out = join(into, 'tarball');
  mkdirSync(out);
  assertOk(
    'npm pack (with prepare: tsc)',
    await run('npm', ['pack', '--pack-destination', out], { cwd: staging, env, limitMs }),
  );
  const tgz = readdirSync(out).filter((f) => f.endsWith('.tgz'));
  if (tgz.length !== 1) throw new Error(`npm pack left ${tgz.join(', ') || 'no tarball'} in ${out}`);
  return join(out, tgz[0]!);
}

/** Links every bin of a package copied into `nodeModules` into `nodeModules/.bin`, as npm would. */
function linkBins(nodeModules: string, pkgDir: string, pkg: PackageJson): void {
  const bins =
    typeof pkg.bin === 'string' ? { [pkg.name.replace(/^@[^/]+\//, '')]: pkg.bin } : (pkg.bin ?? {});
  const binDir = join(nodeModules, '.bin');
  mkdirSync(binDir, { recursive: true });
  for (const [name, target] of Object.entries(bins))
    symlinkSync(relative(binDir, join(pkgDir, target)), join(binDir, name));
}

/**
 * Creates an ESM project in a new folder under os.tmpdir() with prefloop's runtime dependencies already in
 * its node_modules (taken from the repo's install), then `npm install --no-save <tarball>` there.
 */
export async function installInNewProject(
  tarball: string,
  env: NodeJS.ProcessEnv,
  limitMs: number,
): Promise<string> {
  const project = mkdtempSync(join(tmpdir(), 'prefloop-consumer-'));
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'prefloop-consumer', private: true, type: 'module' }, null, 2) + '\n',
  );
  const nodeModules = join(project, 'node_modules');
  const lock = readJson<{ packages: Record<string, LockEntry> }>(packagePath('package-lock.json'));
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev || entry.devOptional) continue;
    const from = join(packageRoot, path);
    if (!existsSync(from)) continue; // an optional dependency for another platform
    const to = join(project, path);
    if (existsSync(to)) continue; // came with the package that holds it
    mkdirSync(dirname(to), { recursive: true });
    const pkg = readJson<PackageJson>(join(from, 'package.json'));
    const leaf =
      pkg.bin === undefined &&
      Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies }).length === 0;
    if (leaf) symlinkSync(from, to, 'dir');
    else {
      cpSync(from, to, { recursive: true, verbatimSymlinks: true });
      if (path.split('node_modules/').length === 2) linkBins(nodeModules, to, pkg);
    }
  }
  assertOk(
    'npm install <tarball>',
    await run('npm', ['install', '--no-save', tarball], { cwd: project, env, limitMs }),
  );
  return project;
}
