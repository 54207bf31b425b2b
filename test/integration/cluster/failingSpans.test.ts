// Which spans count as failures for clustering: production answers only. The release gate's answers
// (service prefloop-gate), synth's (prefloop-synth) and the losers of synthetic judge verdicts are the
// product's own test traffic: a failure mode found among them would be a cluster of nothing users saw.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClusterStore } from '../../../src/cluster/ClusterStore.js';
import { GATE, SYNTH, TABLES } from '../../../src/names.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { migrate } from '../../../src/sink/migrate.js';
import { evaluationRow } from '../../../src/sink/rows.js';
import { ask, at, insertSpans, llmSpan } from '../../helpers/traces.js';

const root = mkdtempSync(join(tmpdir(), 'prefloop-failing-'));
after(() => rmSync(root, { recursive: true, force: true, maxRetries: 5 }));

test('failing spans leave out the gate, synth and synthetic judge verdicts', async () => {
  const db = new ChdbStore(join(root, 'data'), 'prefloop');
  try {
    await migrate(db);
    const span = (name: string, service?: string) => {
      const s = llmSpan({ prompt: ask(`Question ${name}?`), response: `Answer ${name}.`, time: 10 });
      if (service) s.resource = { 'service.name': service };
      return s;
    };
    const prod = span('prod');
    const gate = span('gate', GATE.serviceName);
    const synth = span('synth', SYNTH.serviceName);
    const winner = span('winner');
    const loserOfSynthetic = span('loser');
    await insertSpans(db, [prod, gate, synth, winner, loserOfSynthetic]);
    await db.insert(
      TABLES.evaluations,
      [prod, gate, synth].map((s) =>
        evaluationRow({
          traceId: s.traceId,
          spanId: s.spanId,
          timeUnixNano: at(20),
          rubricId: 'completeness',
          rubricVersion: '1',
          score: 0,
          label: 'fail',
          explanation: '',
          annotatorKind: 'CODE',
          metadata: JSON.stringify({ passed: false }),
        }),
      ),
    );
    await db.insert(TABLES.judgeVerdicts, [
      {
        Timestamp: at(30).toString(),
        RubricId: SYNTH.rubricId,
        RubricVersion: '1',
        PromptHash: '',
        TraceIdA: winner.traceId,
        SpanIdA: winner.spanId,
        TraceIdB: loserOfSynthetic.traceId,
        SpanIdB: loserOfSynthetic.spanId,
        Winner: 'a',
        Confidence: 1,
        Flipped: 0,
        Explanation: '',
        JudgeModel: 'jm',
        Synthetic: 1,
      },
    ]);
    const failing = await new ClusterStore(db).failingSpans(
      new Date('2024-01-01T00:00:00Z'),
      new Date('2024-01-02T00:00:00Z'),
    );
    assert.deepEqual(
      failing.map((f) => [f.spanId, f.failures]),
      [[prod.spanId, ['completeness']]],
    );
  } finally {
    await db.close();
  }
});
