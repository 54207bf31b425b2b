// Server-side HTML: every interpolated value escaped, markup only from the template or `raw`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clip, escapeHtml, html, num, promptText, raw } from '../../../src/ui/html.js';
import { pairsQuery } from '../../../src/ui/pairsSection.js';

test('html escapes every value, in content and in attributes, and nests safe parts unescaped', () => {
  const hostile = `<script>alert(1)</script><img src=x onerror="x()">'`;
  const out = html`<p title="${hostile}">${hostile}</p>
    ${html`<b>${'&'}</b>`}${[1, '<i>']}${null}${undefined}${false}`.text;
  assert.equal(
    out.replace(/>\s+</g, '><'),
    '<p title="&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;x()&quot;&gt;&#39;">' +
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;x()&quot;&gt;&#39;</p><b>&amp;</b>1&lt;i&gt;',
  );
  assert.equal(html`${raw('<hr>')}`.text, '<hr>');
  assert.equal(escapeHtml(undefined), '');
});

test('clip cuts long texts by characters (not UTF-16 units) with an ellipsis', () => {
  assert.equal(clip('abc', 3), 'abc');
  assert.equal(clip('abcdef', 4), 'abc…');
  assert.equal(clip('😀😀😀😀', 3), '😀😀…');
});

test('promptText reads stored messages as role: content lines, and anything else as stored', () => {
  assert.equal(
    promptText(
      JSON.stringify([
        { role: 'system', content: 'Be brief' },
        { role: 'user', content: 'Hi' },
      ]),
    ),
    'system: Be brief\nuser: Hi',
  );
  assert.equal(promptText('not json'), 'not json');
});

test('num groups integers, fixes fractions and shows a dash for nothing', () => {
  assert.equal(num(1234567), '1,234,567');
  assert.equal(num('0.456', 2), '0.46');
  assert.equal(num(null), '–');
  assert.equal(num('abc'), '–');
});

test('the pairs table query corrects bad paging and bounds the search text', () => {
  const q = pairsQuery(new URLSearchParams({ q: ` ${'x'.repeat(500)} `, source: 'feedback', offset: '-5' }));
  assert.equal(q.q.length, 200);
  assert.equal(q.offset, 0);
  assert.equal(pairsQuery(new URLSearchParams({ offset: '50' })).offset, 50);
  assert.equal(pairsQuery(new URLSearchParams({ offset: '1e9' })).offset, 1_000_000);
  assert.equal(pairsQuery(new URLSearchParams({ offset: 'abc' })).offset, 0);
});
