// Who may reach the SQL endpoint serve mounts for an embedded folder, and where.
import { randomBytes } from 'node:crypto';
import { PATHS } from '../names.js';
import { diag } from '../observe/diag.js';
import type { ReceiverRoute } from '../receive/OtlpReceiver.js';
import { createBearerAuth } from '../security/bearerAuth.js';
import type { Store } from '../sink/Store.js';
import { createQueryHandler } from './queryEndpoint.js';

/**
 * The SQL endpoint that lets `sql`/`export` reach an embedded folder this process holds. It runs any SQL, so it
 * is mounted only for an embedded store, only on loopback unless bearer auth is on, and always behind a bearer
 * token: the configured ones, or a random one written to the folder's lock file (readable by its owner only),
 * so a web page the user visits cannot reach it (a browser cannot send that header cross-origin).
 */
export function queryRoutes(
  store: Store,
  embedded: boolean,
  host: string,
  configuredTokens: readonly string[],
): { routes: ReceiverRoute[]; lockToken?: string } {
  if (!embedded) return { routes: [] };
  const loopback = host === 'localhost' || host === '::1' || host.startsWith('127.');
  if (!loopback && configuredTokens.length === 0) {
    diag(
      'warn',
      'serve',
      `SQL endpoint ${PATHS.query} not mounted: ${host} is not loopback and no bearer auth is configured`,
    );
    return { routes: [] };
  }
  const lockToken = randomBytes(24).toString('hex');
  const allowed = createBearerAuth([lockToken, ...configuredTokens]);
  const query = createQueryHandler(store, { basePath: PATHS.query });
  const handle: ReceiverRoute['handle'] = (req, res) => {
    if (allowed(req)) return query(req, res);
    res.writeHead(401, { 'WWW-Authenticate': 'Bearer', 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('the SQL endpoint needs the bearer token from serve.lock.json or a configured token\n');
  };
  return {
    routes: ['GET', 'POST'].flatMap((method) =>
      [PATHS.query, `${PATHS.query}/`, `${PATHS.query}/ping`].map((path) => ({ method, path, handle })),
    ),
    lockToken,
  };
}
