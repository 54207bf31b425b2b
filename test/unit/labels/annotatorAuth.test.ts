// Review API credentials: an ingest token is a reviewer (everything), an annotator token is that annotator,
// no auth configured is open; a malformed token list is refused naming the entry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { annotatorTokensFromEnv, reviewCallerCheck } from '../../../src/labels/annotatorAuth.js';

const req = (token?: string) =>
  ({ headers: token ? { authorization: `Bearer ${token}` } : {} }) as unknown as IncomingMessage;

test('annotator tokens: name:token pairs, every mistake named', () => {
  const tokens = annotatorTokensFromEnv('T', { T: 'ann:a-1, bob:b-2' });
  assert.deepEqual(
    [...tokens],
    [
      ['a-1', 'ann'],
      ['b-2', 'bob'],
    ],
  );
  assert.equal(annotatorTokensFromEnv('T', {}).size, 0);
  assert.throws(() => annotatorTokensFromEnv('T', { T: 'ann:a-1,bob' }), /T: entry 2 must be name:token/);
  assert.throws(() => annotatorTokensFromEnv('T', { T: 'ann:a,ann:b' }), /ann is named twice/);
  assert.throws(() => annotatorTokensFromEnv('T', { T: 'ann:a,bob:a' }), /repeats another annotator's token/);
});

test('who calls: ingest token → reviewer, annotator token → that annotator, nothing → 401 when auth is on', () => {
  const check = reviewCallerCheck(['ingest'], new Map([['a-1', 'ann']]));
  assert.deepEqual(check(req('ingest')), { kind: 'admin' });
  assert.deepEqual(check(req('a-1')), { kind: 'annotator', annotator: 'ann' });
  assert.equal(check(req('wrong')), undefined);
  assert.equal(check(req()), undefined);
  const open = reviewCallerCheck([], new Map([['a-1', 'ann']]));
  assert.deepEqual(open(req()), { kind: 'admin' }, 'no ingest auth: open, like the rest of serve');
  assert.deepEqual(open(req('a-1')), { kind: 'annotator', annotator: 'ann' });
});
