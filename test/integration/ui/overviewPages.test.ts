// The overview and reviewer pages in a real browser (headless Debian Chromium): every section renders from
// the store, a hostile answer shows as text and runs nothing, search and paging work without a reload, a
// Path B fix is approved from the page, and each page's screenshot holds its key elements.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/loadConfig.js';
import { startPrefloop, type RunningPrefloop } from '../../../src/serve/startPrefloop.js';
import { haveChromium, isPng, openBrowser, pwned, screenshotDir, textOf, waitUntil } from './browser.js';
import { seedStore, type Seeded } from './uiFixture.js';
import { lowContrast, unlabelledControls } from './a11y.js';

let dir: string;
let running: RunningPrefloop;
let seeded: Seeded;
const { dir: shots, cleanup: removeShots } = screenshotDir();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prefloop-ui-'));
  const config = parseConfig(
    `
receivers: { otlp: { protocols: { http: {} } } }
processors: { rubrics: { file: collector-config/rubrics.yaml } }
exporters: { clickhouse: {} }
service: { pipelines: { traces: { receivers: [otlp], processors: [rubrics], exporters: [clickhouse] } } }`,
    'ui.yaml',
    {},
  );
  running = await startPrefloop({
    config,
    storeUrl: `embedded:${join(dir, 'store')}`,
    endpoint: '127.0.0.1:0',
    env: {},
  });
  seeded = await seedStore(running.store);
});

after(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  removeShots();
});

test('the pages carry a strict Content-Security-Policy and nosniff; / leads to the overview', async () => {
  const root = await fetch(`${running.url}/`, { redirect: 'manual' });
  assert.equal(root.status, 302);
  assert.equal(root.headers.get('location'), '/overview');
  for (const path of ['/overview', '/review', '/reviewer', '/ui/assets/review.js', '/ui/part/pairs-table']) {
    const res = await fetch(`${running.url}${path}`);
    assert.equal(res.status, 200, path);
    assert.match(
      res.headers.get('content-security-policy') ?? '',
      /default-src 'self'; script-src 'self'/,
      path,
    );
    assert.doesNotMatch(res.headers.get('content-security-policy') ?? '', /unsafe-inline/, path);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
    await res.text();
  }
  // The pages hold no inline script: every script is an asset file.
  const page = await (await fetch(`${running.url}/review`)).text();
  assert.doesNotMatch(page, /<script(?![^>]*\bsrc=)[^>]*>/);
});

test('overview in the browser: sections, hostile text as text, search and paging, screenshot', async (t) => {
  if (!haveChromium(t)) return;
  const { context, close } = await openBrowser();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${running.url}/`);
    await page.waitForSelector('body[data-loaded="true"]');
    assert.equal(new URL(page.url()).pathname, '/overview');
    for (const selector of [
      '#pair-counts .card',
      '#margin-histogram svg rect.bar',
      'figure svg polyline.line',
      '#pairs-table tbody tr',
      '#clusters-table svg.spark',
      '#score-distribution svg',
      '#gate-runs tbody tr',
      '#rubric-agreement tbody tr',
    ])
      assert.ok(await page.$(selector), `${selector} is on the page`);
    assert.match(await textOf(page, '#pair-counts'), /6\s+feedback pairs/);
    // The Pairs section reads a copy of the pair views and says when it was taken.
    assert.match(await textOf(page, 'p.snapshot'), /Pairs as of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    assert.match(await textOf(page, '#gate-runs'), /hold[\s\S]*toxicity:\s*\+0\.050/);
    assert.ok(await page.$('#gate-runs .worse'), 'a rubric that got worse is marked');
    // Accessible basics: every control named (the search, the source filter, the pager), readable contrast.
    assert.deepEqual(await unlabelledControls(page), []);
    assert.deepEqual(
      await lowContrast(page, 'th, td, .note, .empty, .status, .band, figcaption, h2, h3'),
      [],
    );
    assert.notDeepEqual(await lowContrast(page, 'th', 22), [], 'the check measures (nothing reaches 22:1)');
    // The hostile answer is in the table as text, and neither its script nor its onerror ran.
    const cells = await page.locator('#pairs-table td').allTextContents();
    assert.ok(
      cells.some((c) => c.includes('<script>window.__pwned = 1</script>')),
      'the script tag shows as text',
    );
    assert.equal(await page.$('#pairs-table script, #pairs-table img'), null);
    assert.equal(await pwned(page), undefined);
    // Search by keyboard: the table reloads in place.
    await page.fill('#pairs-q', 'language 3');
    await page.press('#pairs-q', 'Enter');
    await waitUntil(async () => (await page.locator('#pairs-table tbody tr').count()) === 1, 'one row');
    assert.match(await textOf(page, '#pairs-table tbody tr'), /language 3/);
    await page.fill('#pairs-q', 'no such text anywhere');
    await page.press('#pairs-q', 'Enter');
    await page.waitForSelector('[data-part="pairs-table"] p.empty');
    await page.fill('#pairs-q', '');
    await page.press('#pairs-q', 'Enter');
    await page.waitForSelector('#pairs-table tbody tr');
    const file = join(shots, 'overview.png');
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(isPng(readFileSync(file)), 'the overview screenshot is a PNG');
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test('reviewer page: a Path B fix approved from the page lands in the store', async (t) => {
  if (!haveChromium(t)) return;
  const { context, close } = await openBrowser();
  try {
    const page = await context.newPage();
    await page.goto(`${running.url}/reviewer`);
    await page.waitForSelector('body[data-loaded="true"]');
    assert.ok(await page.$(`#fixes-list .fix[data-cluster="${seeded.clusterId}"] textarea`));
    // The exemplar's hostile prompt is shown as text there too.
    assert.match(await textOf(page, '#fixes-list'), /<script>window.__pwned = 1<\/script>/);
    // A test artifact only: docs/images/reviewer.png comes from reviewQueue.test.ts (disputes and fixes).
    const file = join(dir, 'reviewer-fixes.png');
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(isPng(readFileSync(file)));
    await page.fill('#reviewer-name', 'rita');
    await page.click('#fixes-list button[data-action="approve"]');
    await waitUntil(async () => /\S/.test(await textOf(page, '.fix-state')), 'the fix to be reviewed');
    assert.match(await textOf(page, '.fix-state'), /^Approved/);
    const rows = await running.store.query<{ Status: string; Reviewer: string }>(
      `SELECT Status, Reviewer FROM cluster_fixes WHERE ClusterId = {c:String} ORDER BY Timestamp DESC LIMIT 1`,
      { c: seeded.clusterId },
    );
    assert.deepEqual(rows, [{ Status: 'approved', Reviewer: 'rita' }]);
    assert.equal(await pwned(page), undefined);
  } finally {
    await close();
  }
});

test('auth off: /review asks for a name, and ?annotator=NAME opens that queue', async (t) => {
  if (!haveChromium(t)) return;
  const { context, close } = await openBrowser();
  try {
    const page = await context.newPage();
    await page.goto(`${running.url}/review`);
    await page.waitForSelector('#who:not([hidden])');
    await page.fill('#who-name', 'zed');
    await page.press('#who-name', 'Enter');
    await page.waitForSelector('#done:not([hidden])');
    assert.equal(new URL(page.url()).searchParams.get('annotator'), 'zed');
    assert.match(await textOf(page, '#progress'), /zed: 0 of 0 labelled/);
  } finally {
    await close();
  }
});
