// Optional bearer-token auth for every endpoint: tokens from the environment, compared in constant time.
import type { IncomingMessage } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ENV } from '../names.js';

/** Environment variable that holds the accepted tokens, comma-separated (auth is off when unset). */
export const AUTH_TOKENS_ENV = ENV.authTokens;

/** A bad token list: names the source and what to do. */
export class AuthConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuthConfigError';
  }
}

/**
 * Returns a check that accepts a request whose `Authorization: Bearer <token>` names one of `tokens`.
 * Tokens are compared as SHA-256 digests with timingSafeEqual, and every token is compared on every
 * request, so neither the token's length nor which entry matched leaks through timing.
 */
export function createBearerAuth(tokens: readonly string[]): (req: IncomingMessage) => boolean {
  if (tokens.length === 0) {
    throw new AuthConfigError('bearer auth needs at least one token; unset auth instead of passing none');
  }
  const digests = tokens.map((token, i) => {
    if (token.trim().length === 0) {
      throw new AuthConfigError(`bearer auth token #${i + 1} is empty; every token must be non-blank`);
    }
    return sha256(token);
  });
  return (req) => {
    const presented = bearerToken(req.headers.authorization);
    if (presented === undefined) return false;
    const digest = sha256(presented);
    let ok = false;
    for (const expected of digests) ok = timingSafeEqual(digest, expected) || ok;
    return ok;
  };
}

/**
 * Reads a comma-separated token list from an environment variable. Unset means auth is off ([]);
 * set but blank, or with a blank entry, is a mistake and throws rather than silently opening the door.
 */
export function tokensFromEnv(
  name: string = AUTH_TOKENS_ENV,
  env: NodeJS.ProcessEnv = process.env,
): string[] {
  const raw = env[name];
  if (raw === undefined) return [];
  const tokens = raw.split(',').map((t) => t.trim());
  if (tokens.every((t) => t.length === 0)) {
    throw new AuthConfigError(`${name} is set but holds no token; unset it to turn auth off`);
  }
  const blank = tokens.findIndex((t) => t.length === 0);
  if (blank >= 0) {
    throw new AuthConfigError(
      `${name} has an empty token at position ${blank + 1} (check for a stray comma)`,
    );
  }
  return tokens;
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), else undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m ? m[1] : undefined;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
