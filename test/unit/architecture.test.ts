// The layout's two promises, checked on every import in src/: imports run one way, and there are no cycles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/**
 * The layers, bottom first. A folder may import its own files and any lower layer, never a higher or equal
 * one. The stages follow the data (receive → normalize → security's masking → score → sink → views →
 * cluster, which groups the failing spans the views find; labels, people's review of pairs; reward, the rubric
 * file as a trainer's reward → export); the release gate and the web UI sit on the pipeline they drive or show; `records` (the shapes every stage hands on) and the top-level helpers sit under all of them; the
 * composition (pipeline, serve, the SDK pieces, cli) sits on top.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['names.ts', 'conventions.ts', 'paths.ts', 'outDir.ts', 'seededRandom.ts', 'wasmModule.ts'],
  ['observe', 'records'],
  ['receive'],
  ['normalize'],
  ['security'],
  ['score'],
  ['sink'],
  ['views'],
  ['cluster', 'labels', 'reward'],
  ['export'],
  ['config', 'forward', 'pipeline'],
  ['gate', 'ui'],
  ['sdk', 'serve'],
  ['demo'],
  ['cli'],
  ['index.ts'],
];

function rankOf(unit: string): number {
  const rank = LAYERS.findIndex((layer) => layer.includes(unit));
  assert.notEqual(rank, -1, `src/${unit} is in no layer: add it to LAYERS in ${import.meta.url}`);
  return rank;
}

/** The top-level folder (or file) of a path under src/. */
function unitOf(file: string): string {
  return relative(SRC, file).split(/[\\/]/)[0]!;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import (static, type-only or dynamic) of a file, resolved to a .ts path. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specs.map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts'));
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

test('imports run one way: each folder imports only its own files and lower layers', () => {
  const wrong: string[] = [];
  for (const [file, imports] of graph) {
    const from = unitOf(file);
    for (const target of imports) {
      const to = unitOf(target);
      if (to === from) continue;
      if (rankOf(to) >= rankOf(from))
        wrong.push(`${relative(SRC, file)} imports ${relative(SRC, target)} (${from} → ${to})`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('no import cycles between files', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const t of graph.get(f) ?? []) {
      if (state.get(t) === 'open')
        cycles.push([...stack.slice(stack.indexOf(t)), t].map((p) => relative(SRC, p)).join(' → '));
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  assert.deepEqual(cycles, []);
});

test('the layer list names only what exists', () => {
  const units = new Set(files.map(unitOf));
  assert.deepEqual(
    LAYERS.flat().filter((u) => !units.has(u)),
    [],
  );
});
