// The evaluations table deduplicates on its sorting key: a retried delivery collapses, but two different
// upstream results of the same name on one trace or session must both survive a merge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFeedback } from '../../../src/receive/parseFeedback.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { migrate } from '../../../src/sink/migrate.js';
import { evaluationRowFromFeedback } from '../../../src/sink/rows.js';

test('distinct upstream results survive OPTIMIZE FINAL; a repeated one does not double', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-evalkey-'));
  const store = new ChdbStore(dir, 'prefloop');
  try {
    await migrate(store);
    const parsed = parseFeedback(
      [
        { session_id: 's1', name: 'task_completion', annotator_kind: 'CODE', score: 1 },
        { session_id: 's2', name: 'task_completion', annotator_kind: 'CODE', score: 0 },
        {
          trace_id: '5b8efff798038103d269b633813fc60c',
          name: 'judge',
          annotator_kind: 'LLM',
          annotator_id: 'a',
          score: 1,
        },
        {
          trace_id: '5b8efff798038103d269b633813fc60c',
          name: 'judge',
          annotator_kind: 'LLM',
          annotator_id: 'b',
          score: 0,
        },
      ],
      1_700_000_000_000_000_000n,
    );
    assert.ok(parsed.ok);
    const rows = parsed.records.map(evaluationRowFromFeedback);
    await store.insert('evaluations', rows);
    await store.insert('evaluations', rows.slice(0, 1)); // a retried delivery of the first result
    await store.command('OPTIMIZE TABLE evaluations FINAL');
    const stored = await store.query<{ SessionId: string; AnnotatorId: string; Score: number }>(
      'SELECT SessionId, AnnotatorId, Score FROM evaluations ORDER BY SessionId, AnnotatorId',
    );
    assert.deepEqual(stored, [
      { SessionId: '', AnnotatorId: 'a', Score: 1 },
      { SessionId: '', AnnotatorId: 'b', Score: 0 },
      { SessionId: 's1', AnnotatorId: '', Score: 1 },
      { SessionId: 's2', AnnotatorId: '', Score: 0 },
    ]);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
});
