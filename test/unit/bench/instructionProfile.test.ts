// `npm run bench:instructions -- --profile`: V8's perf map, callgrind_annotate's lines, and the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameAt, parsePerfMap, profileOf, renderProfile } from '../../../bench/instructionProfile.js';

const MAP = [
  '18c4000 300 Builtin:DeoptimizationEntry_Eager',
  'd262d40 4a0 JS:*writeJsonString file:///tmp/prefloop-instructions-x/0/dist/normalize/promptBytes.js:1:953',
  'd21db40 200 JS:*scanPlain file:///tmp/prefloop-instructions-x/0/dist/score/evaluators/text.js:1:3358',
  // Code collected and its address reused: the later line names it.
  'd21db40 100 JS:~scanPlain file:///tmp/prefloop-instructions-x/0/dist/score/evaluators/text.js:1:3358',
  'd296280 80 RegExp:^[^\\u0000-\\u001f"\\\\\\ud800-\\udfff]*$',
  'd2a0000 10', // cut off mid-line while V8 wrote it
].join('\n');

test('perf map: ranges sorted by start; an address names the range holding it, the later of two alike', () => {
  const ranges = parsePerfMap(MAP);
  assert.deepEqual(
    ranges.map((r) => r.start),
    [0x18c4000, 0xd21db40, 0xd21db40, 0xd262d40, 0xd296280],
  );
  assert.match(nameAt(ranges, 0xd262d40)!, /^JS:\*writeJsonString /);
  assert.match(nameAt(ranges, 0xd262d40 + 0x49f)!, /^JS:\*writeJsonString /);
  assert.equal(nameAt(ranges, 0xd262d40 + 0x4a0), undefined, 'one past the end');
  assert.equal(nameAt(ranges, 0x1000), undefined, 'before every range');
  assert.match(nameAt(ranges, 0xd21db40 + 0x10)!, /^JS:~scanPlain /);
});

const ANNOTATED = `--------------------------------------------------------------------------------
Ir
--------------------------------------------------------------------------------
16,785,552,465 (100.0%)  PROGRAM TOTALS

--------------------------------------------------------------------------------
Ir                    file:function
--------------------------------------------------------------------------------
849,367,178 ( 5.06%)  ???:0x000000000d262d40 [???]
661,443,782 ( 3.94%)  ???:v8::String::WriteUtf8(v8::Isolate*, char*, int, int*, int) const [/usr/bin/node]
493,139,033 ( 2.94%)  ???:0x000000000d21db50 [???]
 40,000,000 ( 0.24%)  ???:0x000000000d262e00 [???]
 12,000,000 ( 0.07%)  ???:0x0000000000000100 [???]
120,003,691 ( 0.71%)  ./string/../sysdeps/x86_64/multiarch/memmove-vec-unaligned-erms.S:__memcpy_avx_unaligned_erms [/usr/lib/x86_64-linux-gnu/libc.so.6]
`;

test('profile: JIT addresses named through the map and summed by name, C++ symbols without their arguments', () => {
  const { total, rows } = profileOf(ANNOTATED, parsePerfMap(MAP));
  assert.equal(total, 16_785_552_465);
  assert.deepEqual(rows, [
    // Two addresses inside one compiled function: one row.
    { name: 'JS:*writeJsonString normalize/promptBytes.js', instructions: 889_367_178 },
    { name: 'v8::String::WriteUtf8', instructions: 661_443_782 },
    { name: 'JS:~scanPlain score/evaluators/text.js', instructions: 493_139_033 },
    { name: '__memcpy_avx_unaligned_erms', instructions: 120_003_691 },
    { name: 'unnamed code (not in the perf map)', instructions: 12_000_000 },
  ]);
});

test('table: the top rows per span and as a share of the whole run; pipes in names escaped', () => {
  const table = renderProfile(
    {
      total: 1_000_000,
      rows: [
        { name: 'RegExp:a|b', instructions: 500_000 },
        { name: 'JS:*f x.js', instructions: 300_000 },
        { name: 'RegExp:' + 'x'.repeat(300), instructions: 200 },
        { name: 'left out', instructions: 100 },
      ],
    },
    1_000,
    3,
  );
  assert.match(table, /over 1,000 spans; whole run 1,000,000, 1,000 a span/);
  assert.match(table, /^\| 500 \| 50\.00% \| RegExp:a\\\|b \|$/m);
  assert.match(table, /^\| 300 \| 30\.00% \| JS:\*f x\.js \|$/m);
  // A regex union's name is its whole source: cut, and marked as cut.
  assert.match(table, /^\| 0 \| 0\.02% \| RegExp:x{92}… \|$/m);
  assert.doesNotMatch(table, /left out/);
});
