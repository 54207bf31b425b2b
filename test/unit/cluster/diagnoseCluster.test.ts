// The judge's reply contract for a cluster: {"name", "diagnosis", "immediate_fix"}, fenced JSON accepted,
// a reply missing a field refused by name (the cluster then keeps its term name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnoseClusters, parseDiagnosis } from '../../../src/cluster/diagnoseCluster.js';
import type { FoundCluster } from '../../../src/cluster/clusterFailures.js';

test('a fenced or inline JSON reply is read; a missing field is refused by name', () => {
  const fenced = '```json\n{"name": "N", "diagnosis": "D", "immediate_fix": "F"}\n```';
  assert.deepEqual(parseDiagnosis(fenced), { name: 'N', diagnosis: 'D', immediateFix: 'F' });
  assert.deepEqual(parseDiagnosis('Sure: {"name":"N","diagnosis":"D","immediate_fix":"F"}').name, 'N');
  assert.throws(() => parseDiagnosis('{"name": "N", "diagnosis": "D"}'), /no "immediate_fix" string/);
});

test('a failed judge call leaves that cluster undiagnosed and is reported', async () => {
  const cluster = {
    id: 'c1',
    terms: ['x'],
    failingRubrics: [],
    exemplar: { traceId: 't', spanId: 's', text: 'x', failures: [] },
    members: [],
  } as unknown as FoundCluster;
  const errors: string[] = [];
  const out = await diagnoseClusters(
    [cluster],
    { complete: () => Promise.reject(new Error('down')) },
    2,
    (c, e) => errors.push(`${c.id}: ${e.message}`),
  );
  assert.deepEqual(out, [undefined]);
  assert.deepEqual(errors, ['c1: down']);
});
