// The WebAssembly prompt kernel: it writes the common prompt itself (so the tests of promptJsonBytes test it),
// and hands the rest to the portable writer untouched.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { portablePromptJson } from '../../../src/normalize/promptBytes.js';
import { kernelPromptJson } from '../../../src/normalize/promptKernel.js';

test('ordinary prompts, escapes and control characters included, are written by the kernel as the portable writer does', () => {
  const prompts = [
    [{ role: 'user', content: 'What is a "prompt"?  It\\s\tjust\n\ntext. ' }],
    [
      { role: ' System ', content: '  Be brief.' },
      { role: 'USER', content: 'caf\u00e9 \u20ac 😀 \u0000\u0008\u001f\u007f end' },
      { role: 'assistant', content: '' },
    ],
    [{ role: 'user', content: 'x'.repeat(20_000) + ' y '.repeat(5_000) }],
  ];
  for (const messages of prompts) {
    const verbatim: string[] = [];
    const got = kernelPromptJson(messages, verbatim);
    assert.ok(got, `the kernel writes ${JSON.stringify(messages).slice(0, 60)}`);
    const portableVerbatim: string[] = [];
    assert.deepEqual(Buffer.from(got), portablePromptJson(messages, portableVerbatim));
    assert.deepEqual(verbatim, portableVerbatim);
  }
});

test('seeded random texts, mostly plain ASCII and single spaces (the eight-byte path) with every kind of odd byte at every offset, write as the portable writer does', () => {
  const plain = "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789.,;:!?()[]{}#$%&*+-/<=>@^_`|~'";
  const odd = [
    ' ',
    ' ',
    '  ',
    '"',
    '\\',
    '\t',
    '\n',
    '\r\n',
    '\u0001',
    '\u0008',
    '\u007f',
    'é',
    '€',
    '😀',
    ' \t ',
  ];
  let seed = 11;
  const next = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed % n;
  };
  let written = 0;
  for (let k = 0; k < 20_000; k++) {
    let content = '';
    for (let length = next(40); content.length < length;) {
      const r = next(10);
      content += r < 6 ? plain[next(plain.length)]! : r < 8 ? ' ' : odd[next(odd.length)]!;
    }
    const messages = [{ role: 'user', content }];
    const verbatim: string[] = [];
    const got = kernelPromptJson(messages, verbatim);
    assert.ok(got, JSON.stringify(content));
    const expected: string[] = [];
    if (!got.equals(portablePromptJson(messages, expected)) || verbatim.length !== expected.length)
      assert.deepEqual([got.toString(), verbatim], [portablePromptJson(messages).toString(), expected]);
    written++;
  }
  assert.equal(written, 20_000);
});

test('a prompt the kernel cannot write is left whole to the portable writer, the verbatim list as it was', () => {
  for (const odd of [
    'no\u00a0break',
    'ideographic\u3000space',
    'bom\ufeff',
    'lone \ud800 surrogate',
    'U+FFFD \ufffd',
  ]) {
    const verbatim = ['kept'];
    const messages = [
      { role: 'user', content: 'plain first message' },
      { role: 'user', content: odd },
    ];
    assert.equal(kernelPromptJson(messages, verbatim), undefined, JSON.stringify(odd));
    assert.deepEqual(verbatim, ['kept']);
  }
  const huge = [{ role: 'user', content: 'a'.repeat(70_000) }];
  assert.equal(kernelPromptJson(huge), undefined, 'past 64 Ki characters');
});

test('after a prompt that made the kernel memory grow, smaller ones are still written right', () => {
  const big = [{ role: 'user', content: '"\u0001'.repeat(30_000) }];
  assert.deepEqual(Buffer.from(kernelPromptJson(big)!), portablePromptJson(big));
  const small = [{ role: 'User', content: ' hi  there ' }];
  assert.equal(kernelPromptJson(small)!.toString(), '[["user","hi there"]]');
});
