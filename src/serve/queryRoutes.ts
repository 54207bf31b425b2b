// Who may reach the SQL endpoint serve mounts for an embedded folder, from where, and what it may run.
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { PATHS } from '../names.js';
import type { ReceiverRoute } from '../receive/OtlpReceiver.js';
import { createBearerAuth } from '../security/bearerAuth.js';
import type { Store } from '../sink/Store.js';
import { createQueryHandler } from './queryEndpoint.js';

/**
 * The SQL endpoint that lets `sql`/`pairs`/`export` reach an embedded folder this process holds. Ingest tokens
 * never open it: its credential is a random per-run token written to the folder's owner-only lock file, or one
 * of the query tokens configured apart (`query_auth`). It answers loopback peers only, and runs reads only, in
 * the SQL sandbox (no writes, settings, files, URLs or remote servers).
 */
export function queryRoutes(
  store: Store,
  embedded: boolean,
  queryTokens: readonly string[],
): { routes: ReceiverRoute[]; lockToken?: string } {
  if (!embedded) return { routes: [] };
  const lockToken = randomBytes(24).toString('hex');
  const allowed = createBearerAuth([lockToken, ...queryTokens]);
  const query = createQueryHandler(store, { basePath: PATHS.query, readOnly: true });
  const handle: ReceiverRoute['handle'] = (req, res) => {
    if (!fromLoopback(req)) {
      res.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`${PATHS.query} answers loopback clients only; run the command on the machine serve runs on\n`);
      return;
    }
    if (allowed(req)) return query(req, res);
    res.writeHead(401, { 'WWW-Authenticate': 'Bearer', 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(
      'the SQL endpoint needs the bearer token from serve.lock.json or a query_auth token (ingest tokens do not open it)\n',
    );
  };
  return {
    routes: ['GET', 'POST'].flatMap((method) =>
      [PATHS.query, `${PATHS.query}/`, `${PATHS.query}/ping`].map((path) => ({
        method,
        path,
        handle,
        ownAuth: true,
      })),
    ),
    lockToken,
  };
}

/** True for a peer on 127.0.0.0/8 or ::1 (an IPv4-mapped address included). */
export function fromLoopback(req: IncomingMessage): boolean {
  const address = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  return address === '::1' || address.startsWith('127.');
}
