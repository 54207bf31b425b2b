// `sql --format json`: counts (UInt64, quoted by ClickHouse) print as numbers when a double holds them exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRows } from '../../../src/sink/sqlOutput.js';

test('wide integers become JSON numbers where exact, stay strings where not', () => {
  const columns = [
    { name: 'n', type: 'UInt64' },
    { name: 'big', type: 'UInt64' },
    { name: 'maybe', type: 'Nullable(Int64)' },
    { name: 'id', type: 'String' },
  ];
  const text = formatRows(
    [
      ['42', '18446744073709551615', null, '7'],
      ['9007199254740991', '9007199254740993', '-3', '08'],
    ],
    columns,
    { format: 'json' },
  );
  assert.deepEqual(text.trim().split('\n'), [
    '{"n":42,"big":"18446744073709551615","maybe":null,"id":"7"}',
    '{"n":9007199254740991,"big":"9007199254740993","maybe":-3,"id":"08"}',
  ]);
});
