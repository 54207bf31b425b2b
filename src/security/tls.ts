// Loads the TLS certificate and key files a config names, checking they are PEM and belong together.
import { readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** File paths as the config names them. */
export interface TlsFiles {
  cert_file: string;
  key_file: string;
}

/** PEM contents, ready for `https.createServer` / the receiver's `tls` option. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

/** A TLS file problem: names the file, what was wrong, and what to do. */
export class TlsConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TlsConfigError';
  }
}

/** Reads and checks the certificate and key; throws TlsConfigError with the file and the fix. */
export function loadTls(files: TlsFiles): TlsMaterial {
  const cert = readPem(files.cert_file, 'certificate (cert_file)');
  const key = readPem(files.key_file, 'private key (key_file)');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    throw new TlsConfigError(
      `TLS cert_file ${files.cert_file} is not a valid PEM certificate (expected -----BEGIN CERTIFICATE-----): ${(err as Error).message}`,
      { cause: err },
    );
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (err) {
    throw new TlsConfigError(
      `TLS key_file ${files.key_file} is not a valid unencrypted PEM private key (expected -----BEGIN PRIVATE KEY-----): ${(err as Error).message}`,
      { cause: err },
    );
  }
  if (!x509.checkPrivateKey(privateKey)) {
    throw new TlsConfigError(
      `TLS key_file ${files.key_file} does not match the certificate in ${files.cert_file}; use the key the certificate was issued for`,
    );
  }
  return { cert, key };
}

function readPem(path: string, what: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : code;
    throw new TlsConfigError(`TLS ${what} file ${path} ${reason}; fix the path in the config`, {
      cause: err,
    });
  }
  if (!bytes.includes('-----BEGIN ')) {
    throw new TlsConfigError(
      `TLS ${what} file ${path} is not PEM (no -----BEGIN line); convert DER with \`openssl x509 -inform der\` or \`openssl pkey -inform der\``,
    );
  }
  return bytes;
}
