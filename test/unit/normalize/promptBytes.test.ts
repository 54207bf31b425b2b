// promptJsonBytes: byte-for-byte the UTF-8 of JSON.stringify of the normalised [role, content] pairs, whether
// the WebAssembly kernel writes a prompt or the portable writer does.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portablePromptJson, promptJsonBytes } from '../../../src/normalize/promptBytes.js';
import type { ChatMessage } from '../../../src/records/types.js';
import { isVerbatim } from '../../../src/sink/jsonString.js';

/** The definition: what prompt hashes have always been taken over. */
function definition(messages: readonly ChatMessage[]): Buffer {
  const pairs = messages.map((m) => [m.role.trim().toLowerCase(), m.content.replace(/\s+/g, ' ').trim()]);
  return Buffer.from(JSON.stringify(pairs));
}

for (const [name, write] of [
  ['promptJsonBytes', promptJsonBytes],
  ['portablePromptJson', portablePromptJson],
] as const) {
  test(`${name}: every UTF-16 code unit, alone, between text, in runs and next to surrogates, writes as the definition`, () => {
    let checked = 0;
    let verbatimCount = 0;
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      const contents = [ch, `a${ch}b`, `${ch}${ch}x${ch}`, ` ${ch} `, `\ud83d${ch}`, `${ch}\ude00`];
      for (const content of contents) {
        const messages = [{ role: ` ${ch}Role${ch} `, content }];
        const verbatim: string[] = [];
        const got = write(messages, verbatim);
        // Compared without assert in the loop (400k cases): the failure message names the first odd one.
        if (!got.equals(definition(messages)))
          assert.equal(
            got.toString('latin1'),
            definition(messages).toString('latin1'),
            `U+${c.toString(16)}`,
          );
        // The contents it reports as needing no JSON escape are exactly those the row encoder's test passes.
        if ((verbatim.length === 1) !== isVerbatim(content))
          assert.deepEqual(
            verbatim,
            isVerbatim(content) ? [content] : [],
            `U+${c.toString(16)} in ${JSON.stringify(content)}`,
          );
        verbatimCount += verbatim.length;
        checked++;
      }
    }
    assert.equal(checked, 0x10000 * 6);
    // Most code units are neither escaped nor surrogates: the report is not simply always empty.
    assert.ok(verbatimCount > 0x10000 * 3, String(verbatimCount));
  });
}

test('several messages, empty ones, and none at all', () => {
  for (const messages of [
    [],
    [{ role: '', content: '' }],
    [
      { role: 'System', content: '  \n ' },
      { role: 'user', content: 'a\u2028\u2029b "q" \\ 😀 é\t\tz ' },
      { role: 'assistant', content: '\u0000\u001f\u007f' },
    ],
  ]) {
    const verbatim: string[] = [];
    assert.deepEqual(promptJsonBytes(messages, verbatim), definition(messages));
    assert.deepEqual(
      verbatim,
      messages.map((m) => m.content).filter(isVerbatim),
      'the contents JSON writes as they are, in order',
    );
  }
});

test('a prompt larger than the reused buffer is written whole, and the next small one still right', () => {
  const big = [{ role: 'user', content: '"\u0001'.repeat(40_000) + ' x  y '.repeat(10_000) }];
  assert.deepEqual(promptJsonBytes(big), definition(big));
  const small = [{ role: 'user', content: 'hi' }];
  assert.equal(promptJsonBytes(small).toString(), '[["user","hi"]]');
});

test('content without special characters (the common case) collapses space runs and trims spaces as the definition', () => {
  for (const content of [
    'It’s “fine”  here',
    '  leading and trailing  ',
    'a    b  c',
    ' ',
    'ほんとう  です ',
    'plain ascii only',
    'ok\u00a1\u167f\u1681\u200b\u2027\u202a\u2030\u2060\u3001\ud7ff\ue000\ufefe\uff00\uffff end',
  ]) {
    const messages = [{ role: 'user', content }];
    assert.deepEqual(promptJsonBytes(messages), definition(messages), content);
  }
});
