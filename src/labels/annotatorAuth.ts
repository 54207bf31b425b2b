// Who is calling the review API: an ingest token (or no auth configured) may do everything; an annotator's
// own token only their own queue and labels. Tokens compared as in bearerAuth (constant time).
import type { IncomingMessage } from 'node:http';
import { createBearerAuth } from '../security/bearerAuth.js';

export type ReviewCaller = { kind: 'admin' } | { kind: 'annotator'; annotator: string };

/** `name:token,name:token` from an environment variable; unset → none. Throws naming a malformed entry. */
export function annotatorTokensFromEnv(name: string, env: NodeJS.ProcessEnv): Map<string, string> {
  const raw = env[name];
  const tokens = new Map<string, string>();
  if (raw === undefined) return tokens;
  raw.split(',').forEach((entry, i) => {
    const at = entry.indexOf(':');
    const who = entry.slice(0, at).trim();
    const token = entry.slice(at + 1).trim();
    if (at <= 0 || who === '' || token === '')
      throw new Error(
        `${name}: entry ${i + 1} must be name:token (got ${JSON.stringify(entry.trim() === '' ? '' : `${who}:…`)})`,
      );
    if ([...tokens.values()].includes(who)) throw new Error(`${name}: annotator ${who} is named twice`);
    if (tokens.has(token)) throw new Error(`${name}: entry ${i + 1} repeats another annotator's token`);
    tokens.set(token, who);
  });
  return tokens;
}

/**
 * The caller of a review route, or undefined when credentials are needed and missing or wrong. With no
 * ingest tokens configured the API is open (like the rest of serve): a request without a token is an admin.
 */
export function reviewCallerCheck(
  ingestTokens: readonly string[],
  annotatorTokens: ReadonlyMap<string, string>,
): (req: IncomingMessage) => ReviewCaller | undefined {
  const ingest = ingestTokens.length ? createBearerAuth(ingestTokens) : undefined;
  const annotators = [...annotatorTokens].map(([token, who]) => ({ who, check: createBearerAuth([token]) }));
  return (req) => {
    if (ingest?.(req)) return { kind: 'admin' };
    // Every annotator's check runs, so which one matched does not show in the timing.
    let found: string | undefined;
    for (const a of annotators) if (a.check(req)) found = a.who;
    if (found !== undefined) return { kind: 'annotator', annotator: found };
    return ingest ? undefined : { kind: 'admin' };
  };
}
