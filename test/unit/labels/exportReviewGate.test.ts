// The review gate's decisions: each reason counted, a reviewed pair decided by people, the overrides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReviewGate } from '../../../src/export/reviewGate.js';
import type { SourceAgreement } from '../../../src/labels/sourceAgreement.js';

const sources: SourceAgreement[] = [
  { source: 'rubric', items: 30, kappa: 0.2, ci_low: 0, ci_high: 0.4, status: 'below_floor' },
  { source: 'feedback', items: 30, kappa: 0.8, ci_low: 0.6, ci_high: 0.9, status: 'agrees' },
];
const row = (source: string, review_band = '', human_direction = '', resolved = 0) => ({
  source,
  review_band,
  human_direction,
  resolved,
});
const rows = [
  row('rubric', 'train', 'chosen'), // reviewed: kept although rubric is under the floor
  row('rubric', 'train', 'rejected'), // kept, flipped
  row('feedback', 'discard', 'chosen'),
  row('feedback', 'review', 'chosen'),
  row('feedback', 'review', 'rejected', 1), // resolved: kept, flipped
  row('feedback', 'train', 'void'),
  row('rubric'), // unreviewed, source under the floor
  row('feedback'), // unreviewed, source agrees
];

test('default: discard, unresolved review, voided and unreviewed under-floor pairs left out, each counted', () => {
  const gate = new ReviewGate(sources, {});
  const kept = rows.map((r) => gate.decide(r).keep);
  assert.deepEqual(kept, [true, true, false, false, true, false, false, true]);
  const m = gate.manifest({ annotators: null, measured_at: 'now' });
  assert.deepEqual(m.left_out, { discard: 1, review_unresolved: 1, human_void: 1, source_below_floor: 1 });
  assert.deepEqual(m.reviewed, { exported: 3, flipped: 2 });
  assert.equal(m.floor, 0.5);
});

test('--include-unreviewed keeps unresolved and unreviewed pairs; naming a band lifts its gate', () => {
  const lenient = new ReviewGate(sources, { includeUnreviewed: true });
  assert.deepEqual(
    rows.map((r) => lenient.decide(r).keep),
    [true, true, false, true, true, false, true, true],
  );
  assert.equal(lenient.manifest({ annotators: null, measured_at: 'now' }).included_unreviewed, 1);
  const discard = new ReviewGate(sources, { band: 'discard' });
  assert.equal(discard.decide(row('feedback', 'discard', 'chosen')).keep, true);
  assert.equal(
    discard.decide(row('feedback', 'train', 'void')).keep,
    false,
    'a voided pair has no direction',
  );
});
