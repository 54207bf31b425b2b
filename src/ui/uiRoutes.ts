// The web UI's routes on serve's listener. The pages themselves (/overview, /review, /reviewer) and their
// assets hold no data, so they open without a credential: a browser cannot attach a bearer token to a
// navigation. Every piece of data comes from the API behind the same auth as the rest (the parts below take
// the ingest token; the review API takes an annotator's token too), fetched by the page's own script with the
// token the user typed once (sessionStorage, sent as `Authorization: Bearer`). No cookies, so no CSRF.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PATHS } from '../names.js';
import { diag } from '../observe/diag.js';
import type { ReceiverRoute } from '../receive/OtlpReceiver.js';
import type { Store } from '../sink/Store.js';
import { assetRoutes, securityHeaders } from './assets.js';
import { clustersSection, fixesSection } from './clustersSection.js';
import { escapeHtml, html, type SafeHtml } from './html.js';
import { PairSnapshots } from './pairSnapshot.js';
import { pairsCharts, pairsQuery, pairsTable, snapshotNote } from './pairsSection.js';
import { gatesSection, rubricsSection } from './rubricsSection.js';
import { reviewProgressRoute, type ReviewProgressAuth } from './reviewProgress.js';

/** The longest a page waits for the pairs' first copy (a big store's first one takes minutes). */
const FIRST_COPY_WAIT_MS = 10_000;
const COPYING = html`<p class="empty" role="status">
  The pairs are being copied from the pair views for this page (the first copy of a big store takes a while):
  reload in a minute.
</p>`;

/** The parts of the pages, each an HTML fragment rendered on the server from the store. */
function parts(store: Store, snapshots: PairSnapshots): Record<string, (url: URL) => Promise<SafeHtml>> {
  return {
    'pairs-charts': async () => {
      const snapshot = await snapshots.within(FIRST_COPY_WAIT_MS);
      if (!snapshot) return COPYING;
      return html`${snapshotNote(snapshot)}${await pairsCharts(store, snapshot)}`;
    },
    'pairs-table': async (url) => {
      const snapshot = await snapshots.within(FIRST_COPY_WAIT_MS);
      return snapshot ? pairsTable(store, snapshot, pairsQuery(url.searchParams)) : COPYING;
    },
    clusters: () => clustersSection(store),
    rubrics: () => rubricsSection(store),
    gates: () => gatesSection(store),
    fixes: () => fixesSection(store),
  };
}

export interface UiOptions extends ReviewProgressAuth {
  /** Registers a step run at shutdown: a snapshot of the pairs being taken finishes before the store closes. */
  readonly onClose?: (step: () => Promise<void>) => void;
}

export function uiRoutes(store: Store, options: UiOptions = {}): ReceiverRoute[] {
  const snapshots = new PairSnapshots(store);
  options.onClose?.(() => snapshots.settle());
  const partRoutes = Object.entries(parts(store, snapshots)).map(([name, render]): ReceiverRoute => ({
    method: 'GET',
    path: `${PATHS.uiParts}${name}`,
    handle: (req, res) => answerPart(req, res, name, render),
  }));
  const redirect: ReceiverRoute = {
    method: 'GET',
    path: '/',
    ownAuth: true,
    handle: (_req, res) => {
      res.writeHead(302, { Location: PATHS.overview, ...securityHeaders(), 'Cache-Control': 'no-store' });
      res.end();
    },
  };
  return [redirect, ...assetRoutes(), ...partRoutes, reviewProgressRoute(store, options)];
}

async function answerPart(
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
  render: (url: URL) => Promise<SafeHtml>,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let status = 200;
  let body: string;
  try {
    body = (await render(url)).text;
  } catch (err) {
    // The page shows the failure in place of the part; the rest of the page still loads.
    diag('warn', 'ui', `rendering the ${name} part failed`, err);
    status = 500;
    body = `<p class="error" role="alert">This part could not be read from the store: ${escapeHtml((err as Error).message)}</p>`;
  }
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...securityHeaders(),
  });
  res.end(body);
}
