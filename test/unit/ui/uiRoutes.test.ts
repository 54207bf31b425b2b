// Which UI routes open without a token (the pages and their files, which hold no data) and which sit behind
// the ingest auth (every part that reads the store) or check credentials themselves (the review queue's
// totals, which annotators read too); every asset on disk is served, nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import type { Store } from '../../../src/sink/Store.js';
import { assetsDir, securityHeaders } from '../../../src/ui/assets.js';
import { uiRoutes } from '../../../src/ui/uiRoutes.js';

const routes = uiRoutes({} as Store);

test('only the data-free pages, their files and the redirect open without a token', () => {
  // The review queue's totals check the review API's credentials themselves (test/integration/ui).
  const open = routes.filter((r) => r.ownAuth && r.path !== '/ui/review-progress').map((r) => r.path);
  assert.ok(routes.some((r) => r.path === '/ui/review-progress' && r.ownAuth));
  for (const path of open)
    assert.ok(
      path === '/' || ['/overview', '/review', '/reviewer'].includes(path) || path.startsWith('/ui/assets/'),
      `${path} opens without a token`,
    );
  const parts = routes.filter((r) => r.path.startsWith('/ui/part/'));
  assert.deepEqual(parts.map((r) => r.path).sort(), [
    '/ui/part/clusters',
    '/ui/part/fixes',
    '/ui/part/gates',
    '/ui/part/pairs-charts',
    '/ui/part/pairs-table',
    '/ui/part/rubrics',
  ]);
  assert.ok(parts.every((r) => !r.ownAuth && r.method === 'GET'));
  assert.ok(
    routes.every((r) => r.method === 'GET'),
    'the UI itself writes nothing (writes go to the JSON APIs)',
  );
});

test('every asset file is served, and the pages are served at their own paths', () => {
  const files = readdirSync(assetsDir()).filter((f) => !f.endsWith('.html'));
  const served = new Set(routes.map((r) => r.path));
  for (const f of files) assert.ok(served.has(`/ui/assets/${f}`), `${f} is served`);
  for (const page of ['/overview', '/review', '/reviewer']) assert.ok(served.has(page));
});

test('the security headers forbid inline script and style, framing and sniffing', () => {
  const h = securityHeaders();
  assert.match(h['Content-Security-Policy']!, /default-src 'self'/);
  assert.match(h['Content-Security-Policy']!, /script-src 'self';/);
  assert.match(h['Content-Security-Policy']!, /frame-ancestors 'none'/);
  assert.doesNotMatch(h['Content-Security-Policy']!, /unsafe/);
  assert.equal(h['X-Content-Type-Options'], 'nosniff');
});
