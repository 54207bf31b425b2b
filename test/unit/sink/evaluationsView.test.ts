// Migration 0005 copies prefloop's results out of span attributes by names that live in src/names.ts and
// src/sink/rows.ts; SQL cannot import them, so this holds the two in step.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { PREFLOOP_ATTRS } from '../../../src/names.js';
import { OI } from '../../../src/conventions.js';
import { packagePath } from '../../../src/paths.js';
import { PREFLOOP_ORIGIN } from '../../../src/sink/rows.js';

test('the evaluations view uses the origin, marker and key prefix the TypeScript side writes', () => {
  const sql = readFileSync(
    packagePath('src', 'sink', 'migrations', '0005_evaluations_from_spans.sql'),
    'utf8',
  );
  assert.ok(sql.includes(`'${PREFLOOP_ORIGIN}' AS Origin`));
  assert.ok(sql.includes(`position(Metadata, '"${PREFLOOP_ATTRS.rubricFileHash}"') > 0`));
  assert.ok(sql.includes(`startsWith(k, '${OI.evaluations}.')`));
  assert.ok(sql.includes(`endsWith(k, '.evaluation.metadata')`));
});
