// `prefloop sql` output: aligned, truncated table; one JSON object per line in column order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRows } from '../../../src/sink/sqlOutput.js';

const columns = [
  { name: 'name', type: 'String' },
  { name: 'n', type: 'UInt64' },
  { name: 'score', type: 'Nullable(Float64)' },
];

test('table output aligns columns, right-aligns numbers, shows NULL and cuts long cells', () => {
  const out = formatRows(
    [
      ['short', '12', 0.5],
      ['a much longer name\nwith a newline', '3', null],
    ],
    columns,
    { format: 'table', maxCellWidth: 12 },
  );
  assert.equal(
    out,
    'name           n  score\n' +
      '────────────  ──  ─────\n' +
      'short         12    0.5\n' +
      'a much long…   3   NULL\n' +
      '(2 rows)\n',
  );
});

test('json output is one object per row in column order; zero rows print nothing', () => {
  const out = formatRows([['x', '1', null]], columns, { format: 'json' });
  assert.equal(out, '{"name":"x","n":1,"score":null}\n');
  assert.equal(formatRows([], columns, { format: 'json' }), '');
  assert.equal(formatRows([], columns, { format: 'table' }), 'name  n  score\n────  ─  ─────\n(0 rows)\n');
});
