// TLS file loading: good files load; missing, non-PEM and mismatched files fail with the file named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TlsConfigError, loadTls } from '../../../src/security/tls.js';

const fixtures = fileURLToPath(new URL('../../fixtures/tls/', import.meta.url));
const cert_file = join(fixtures, 'cert.pem');
const key_file = join(fixtures, 'key.pem');

test('loads a matching PEM certificate and key', () => {
  const tls = loadTls({ cert_file, key_file });
  assert.match(tls.cert.toString(), /BEGIN CERTIFICATE/);
  assert.match(tls.key.toString(), /PRIVATE KEY/);
});

test('names the missing file', () => {
  assert.throws(
    () => loadTls({ cert_file: '/nope/cert.pem', key_file }),
    (err: Error) => err instanceof TlsConfigError && /\/nope\/cert\.pem does not exist/.test(err.message),
  );
});

test('rejects non-PEM content and a key that does not match', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-tls-'));
  try {
    const garbage = join(dir, 'garbage.pem');
    writeFileSync(garbage, 'not a certificate');
    assert.throws(() => loadTls({ cert_file: garbage, key_file }), /garbage\.pem is not PEM/);
    const badPem = join(dir, 'bad.pem');
    writeFileSync(badPem, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    assert.throws(() => loadTls({ cert_file: badPem, key_file }), /not a valid PEM certificate/);
    assert.throws(
      () => loadTls({ cert_file, key_file: cert_file }),
      /not a valid unencrypted PEM private key/,
    );
    assert.throws(
      () => loadTls({ cert_file, key_file: join(fixtures, 'other-key.pem') }),
      /does not match the certificate/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
});
