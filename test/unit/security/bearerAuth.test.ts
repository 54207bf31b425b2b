// Bearer auth: accepts exactly the configured tokens, refuses blank configuration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import {
  AuthConfigError,
  bearerToken,
  createBearerAuth,
  tokensFromEnv,
} from '../../../src/security/bearerAuth.js';

const req = (authorization?: string) => ({ headers: { authorization } }) as unknown as IncomingMessage;

test('accepts any configured token and nothing else', () => {
  const auth = createBearerAuth(['alpha-token', 'beta-token']);
  assert.equal(auth(req('Bearer alpha-token')), true);
  assert.equal(auth(req('bearer beta-token')), true);
  assert.equal(auth(req('Bearer  beta-token ')), true);
  assert.equal(auth(req()), false);
  assert.equal(auth(req('')), false);
  assert.equal(auth(req('Bearer')), false);
  assert.equal(auth(req('Bearer alpha')), false);
  assert.equal(auth(req('Bearer alpha-token-and-more')), false);
  assert.equal(auth(req('Basic alpha-token')), false);
  assert.equal(auth(req('alpha-token')), false);
  assert.equal(auth(req('Bearer alpha-token beta-token')), false);
});

test('refuses an empty token list and blank tokens', () => {
  assert.throws(() => createBearerAuth([]), AuthConfigError);
  assert.throws(() => createBearerAuth(['ok', '  ']), /token #2 is empty/);
});

test('tokensFromEnv: unset is off, blank is an error, entries are trimmed', () => {
  assert.deepEqual(tokensFromEnv('X_TOKENS', {}), []);
  assert.deepEqual(tokensFromEnv('X_TOKENS', { X_TOKENS: ' a , b ' }), ['a', 'b']);
  assert.throws(() => tokensFromEnv('X_TOKENS', { X_TOKENS: ' ' }), /X_TOKENS is set but holds no token/);
  assert.throws(() => tokensFromEnv('X_TOKENS', { X_TOKENS: 'a,,b' }), /empty token at position 2/);
});

test('bearerToken parses the header strictly', () => {
  assert.equal(bearerToken('Bearer abc'), 'abc');
  assert.equal(bearerToken('BEARER\tabc'), 'abc');
  assert.equal(bearerToken('Bearerabc'), undefined);
  assert.equal(bearerToken(undefined), undefined);
});
