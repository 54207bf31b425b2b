// The whole review queue's progress for the review page's header ("mine, and the queue's"): the review API
// answers only the annotator's own numbers, so the page asks here for the totals over every annotator. It
// checks credentials as the review API does (an ingest token, or any annotator's token: two totals reveal
// nothing about another annotator's items), since the receiver's ingest auth alone would refuse annotators.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ENV, PATHS } from '../names.js';
import { annotatorTokensFromEnv, reviewCallerCheck } from '../labels/annotatorAuth.js';
import type { ReceiverRoute } from '../receive/OtlpReceiver.js';
import { tokensFromEnv } from '../security/bearerAuth.js';
import type { Store } from '../sink/Store.js';
import { securityHeaders } from './assets.js';
import { uiQuery } from './uiSql.js';

export interface ReviewProgressAuth {
  /** Environment variable with the ingest bearer tokens; unset: auth off. */
  readonly ingestTokensEnv?: string;
  /** Environment variable with `name:token,…` (review.annotator_tokens_env). */
  readonly annotatorTokensEnv?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export function reviewProgressRoute(store: Store, auth: ReviewProgressAuth): ReceiverRoute {
  const env = auth.env ?? {};
  const callerOf = reviewCallerCheck(
    auth.ingestTokensEnv ? tokensFromEnv(auth.ingestTokensEnv, env) : [],
    annotatorTokensFromEnv(auth.annotatorTokensEnv ?? ENV.annotatorTokens, env),
  );
  return {
    method: 'GET',
    path: PATHS.uiReviewProgress,
    ownAuth: true,
    handle: async (req: IncomingMessage, res: ServerResponse) => {
      if (!callerOf(req)) {
        send(res, 401, { error: 'missing or wrong credentials (Authorization: Bearer <token>)' }, true);
        return;
      }
      const [row] = await uiQuery<{ done: string; total: string }>(store, 'review_progress');
      send(res, 200, { done: Number(row?.done ?? 0), total: Number(row?.total ?? 0) });
    },
  };
}

function send(res: ServerResponse, status: number, value: unknown, challenge = false): void {
  const text = `${JSON.stringify(value)}\n`;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...securityHeaders(),
    ...(challenge ? { 'WWW-Authenticate': 'Bearer' } : {}),
  });
  res.end(text);
}
