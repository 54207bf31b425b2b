// The demo runs the whole loop on the bundled sample: OTLP in, feedback, pairs, export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from '../../../src/demo/runDemo.js';

test('runDemo builds the sample pairs and writes the files it names', async () => {
  const workdir = mkdtempSync(join(tmpdir(), 'prefloop-demo-test-'));
  const lines: string[] = [];
  try {
    const r = await runDemo({ workdir, log: (l) => lines.push(l) });
    // 12 two-answer conversations + 1 regenerate + 1 cluster fix; the single-thumb one is a KTO example only
    // (KTO: 12 x 2 thumbs, the single thumb, the regenerate's thumbs down and its accepted answer).
    assert.equal(r.manifest.records, 14);
    assert.equal(r.summary.total, 14);
    assert.equal(r.summary.kto.desirable + r.summary.kto.undesirable, 27);
    const rows = [r.manifest.files.train, r.manifest.files.holdout].flatMap((f) =>
      readFileSync(join(r.out, f.path), 'utf8').split('\n').filter(Boolean),
    );
    assert.equal(rows.length, 14);
    // Path B: the planted failure modes come out as two named clusters, the refusals' fix as a pair.
    assert.ok(
      lines.some((l) => /→ 2 clusters/.test(l)),
      lines.join('\n'),
    );
    assert.ok(lines.some((l) => /re-scored, passed/.test(l)));
    const fix = rows
      .map(
        (l) =>
          JSON.parse(l) as { chosen: { content: string }[]; metadata: { cluster?: { fixed_by: string } } },
      )
      .find((x) => x.metadata.cluster !== undefined);
    assert.equal(fix?.metadata.cluster?.fixed_by, 'demo-reviewer');
    const tokyo = rows.map((l) => JSON.parse(l)).find((x) => x.chosen[0].content === 'Tokyo.');
    assert.equal(tokyo.rejected[0].content, 'Kyoto was the capital, so Kyoto.');
    assert.ok(lines.some((l) => l.includes('train.jsonl')));
    // The unrated non-answers the demo adds are never a chosen answer.
    for (const row of rows.map(
      (l) => JSON.parse(l) as { prompt: { content: string }[]; chosen: { content: string }[] },
    )) {
      const chosen = row.chosen[0]!.content;
      assert.ok(!['Dunno.', "I can't help with that."].includes(chosen), chosen);
      assert.notEqual(chosen, row.prompt.at(-1)!.content, 'an echo of the question is never chosen');
    }
    assert.ok(lines.some((l) => l.includes('non-answers')));
  } finally {
    rmSync(workdir, { recursive: true, force: true, maxRetries: 5 });
  }
});
