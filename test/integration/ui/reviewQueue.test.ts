// The annotators' queue in a real browser with auth on: the token typed once, a queue labelled by keyboard
// (labels checked in the store), a double key press, a reload mid-queue, undo, a hostile answer shown as text,
// code fences kept, and another annotator's items out of reach. The reviewer resolves a disputed pair.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/loadConfig.js';
import { TABLES } from '../../../src/names.js';
import { startPrefloop, type RunningPrefloop } from '../../../src/serve/startPrefloop.js';
import type { Page } from 'playwright-core';
import { haveChromium, isPng, openBrowser, pwned, screenshotDir, textOf, waitUntil } from './browser.js';
import { HOSTILE, seedStore } from './uiFixture.js';
import { lowContrast, unlabelledControls } from './a11y.js';

const ADMIN = 'admin-secret-token';
const ANN = 'ann-token-1234';
const BOB = 'bob-token-5678';
let dir: string;
let running: RunningPrefloop;
const { dir: shots, cleanup: removeShots } = screenshotDir();

interface Pair {
  pair_id: string;
  prompt: string;
  chosen: string;
  rejected: string;
  chosen_span_id: string;
  rejected_span_id: string;
  source: string;
}
/** ann's four items in queue order, each with its A/B order; bob's two. */
let annPairs: { pair: Pair; aIsChosen: boolean }[] = [];
let bobPairs: Pair[] = [];
let disputed: Pair;

/** Each assignment's random item id, as `review sample` draws them: what the page knows an item by. */
const itemIds = new Map<string, string>();
function itemOf(pairId: string, annotator: string): string {
  const k = `${pairId}\0${annotator}`;
  if (!itemIds.has(k)) itemIds.set(k, randomBytes(16).toString('hex'));
  return itemIds.get(k)!;
}

function assignment(pair: Pair, annotator: string, aIsChosen: boolean, k: number, texts?: Partial<Pair>) {
  return {
    sample_id: 's1',
    pair_id: pair.pair_id,
    item_id: itemOf(pair.pair_id, annotator),
    annotator_id: annotator,
    source: pair.source,
    stratum: pair.source,
    a_is_chosen: aIsChosen ? 1 : 0,
    prompt: texts?.prompt ?? pair.prompt,
    chosen: texts?.chosen ?? pair.chosen,
    rejected: texts?.rejected ?? pair.rejected,
    chosen_span_id: pair.chosen_span_id,
    rejected_span_id: pair.rejected_span_id,
    assigned_at: `2024-02-01 00:00:0${k}.000`,
  };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'prefloop-ui-review-'));
  const config = parseConfig(
    `
receivers: { otlp: { protocols: { http: { auth: { bearer_tokens_env: PREFLOOP_UI_TEST_TOKENS } } } } }
exporters: { clickhouse: {} }
service: { pipelines: { traces: { receivers: [otlp], exporters: [clickhouse] } } }`,
    'review.yaml',
    {},
  );
  running = await startPrefloop({
    config,
    storeUrl: `embedded:${join(dir, 'store')}`,
    endpoint: '127.0.0.1:0',
    env: { PREFLOOP_UI_TEST_TOKENS: ADMIN, PREFLOOP_ANNOTATOR_TOKENS: `ann:${ANN},bob:${BOB}` },
  });
  const store = running.store;
  await seedStore(store);
  const pairs = await store.query<Pair>(
    `SELECT pair_id, prompt, chosen, rejected, chosen_span_id, rejected_span_id, source
     FROM preference_pairs ORDER BY created, pair_id`,
  );
  assert.equal(pairs.length, 6);
  // ann: the hostile pair first, then a pair whose chosen answer carries a code fence.
  annPairs = [0, 1, 2, 3].map((i) => ({ pair: pairs[i]!, aIsChosen: i % 2 === 0 }));
  bobPairs = [pairs[4]!, pairs[5]!];
  disputed = pairs[5]!;
  await store.insert(TABLES.reviewAssignments, [
    ...annPairs.map((p, k) => assignment(p.pair, 'ann', p.aIsChosen, k)),
    ...bobPairs.map((p, k) => assignment(p, 'bob', true, k, { chosen: `BOB-ONLY ${p.chosen}` })),
    ...['c1', 'c2', 'c3'].map((who, k) => assignment(disputed, who, true, k)),
  ]);
  // Three annotators split on one pair; thresholds set so that split is in the review band.
  await store.insert(
    TABLES.reviewLabels,
    ['chosen', 'rejected', 'chosen'].map((preferred, k) => ({
      label_id: `seed-${k}`,
      pair_id: disputed.pair_id,
      annotator_id: `c${k + 1}`,
      preferred,
      labelled_at: '2024-02-01 00:00:00.000',
      via: 'import',
    })),
  );
  await store.insert('pair_settings', [
    { Key: 'review_discard_below', Value: '-1', UpdatedAt: '2099-01-01 00:00:00.000' },
    { Key: 'review_train_from', Value: '0.99', UpdatedAt: '2099-01-01 00:00:00.000' },
  ]);
});

after(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  removeShots();
});

async function currentLabels(annotator: string): Promise<Map<string, string>> {
  const rows = await running.store.query<{ pair_id: string; preferred: string }>(
    'SELECT pair_id, preferred FROM review_labels_current WHERE annotator_id = {a:String}',
    { a: annotator },
  );
  return new Map(rows.map((r) => [r.pair_id, r.preferred]));
}

/** The pair of the item shown (the page knows only its item id). */
async function shownPair(page: Page): Promise<string> {
  const item = (await page.getAttribute('#item', 'data-item')) ?? '';
  for (const [k, id] of itemIds) if (id === item) return k.split('\0')[0]!;
  return '';
}

/** The page ignores keys for 300 ms after a new item appears (the tail of a double press): an annotator reads first. */
function settle(page: Page): Promise<void> {
  return page.waitForTimeout(350);
}

/** Waits for the progress line to say `n of total labelled`. */
async function progressIs(page: Page, n: number): Promise<void> {
  await waitUntil(
    async () => (await textOf(page, '#progress')).includes(`${n} of 4 labelled`),
    `${n} labelled`,
  ).catch(async (err: Error) => {
    const seen = `progress "${await textOf(page, '#progress')}", status "${await textOf(page, '#status')}"`;
    throw new Error(`${err.message}; ${seen}`);
  });
}

test('an annotator labels the queue by keyboard; labels land in the store; reload resumes; undo', async (t) => {
  if (!haveChromium(t)) return;
  const { context, close } = await openBrowser();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${running.url}/review`);
    // Auth on: the page asks for the annotator's token once.
    await page.waitForSelector('#auth:not([hidden])');
    await page.fill('#auth-token', ANN);
    await page.press('#auth-token', 'Enter');
    await page.waitForSelector('#item:not([hidden])');
    await progressIs(page, 0);
    // The whole queue beside ann's own: 9 assigned items (ann 4, bob 2, c1-c3 1 each), c1-c3 labelled.
    await waitUntil(async () => /whole queue 3 of 9/.test(await textOf(page, '#progress')), 'the queue');
    assert.equal(await shownPair(page), annPairs[0]!.pair.pair_id);
    // The page never holds a pair id: it hashes the texts in chosen/rejected order, so it would tell the answer.
    const html = await page.content();
    for (const p of annPairs) assert.ok(!html.includes(p.pair.pair_id), 'no pair id in the page');
    // The hostile prompt and answer are shown as text; nothing in them ran or became an element.
    assert.ok((await textOf(page, '#answer-a')).includes('<script>window.__pwned = 1</script>'));
    assert.ok((await textOf(page, '#conversation')).includes(HOSTILE));
    assert.equal(await page.$('#item script, #item img'), null);
    assert.equal(await pwned(page), undefined);
    const file = join(shots, 'review.png');
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(isPng(readFileSync(file)));
    for (const key of ['1', '2', '3', 's', 'u'])
      assert.ok(await page.$(`.actions button:has(kbd:text-is("${key}"))`));
    // Accessible basics: every control named, readable contrast, each label button reachable by Tab.
    assert.deepEqual(await unlabelledControls(page), []);
    assert.deepEqual(
      await lowContrast(page, '.actions button, .actions kbd, #progress, header a, .role, .prose, h2'),
      [],
    );
    const reached = new Set<string>();
    for (let i = 0; i < 20; i++) {
      await page.keyboard.press('Tab');
      reached.add(await page.evaluate<string>("document.activeElement?.textContent?.trim() ?? ''"));
    }
    for (const name of ['1 Answer 1 is better', '2 Answer 2 is better', '3 Tie', 's Skip', 'u Undo last'])
      assert.ok(reached.has(name), `${name} is reachable by Tab (reached: ${[...reached].join(' | ')})`);

    await settle(page);
    await page.keyboard.press('1');
    await progressIs(page, 1);
    // Item 2 has a code fence: kept as a code block.
    assert.equal(await shownPair(page), annPairs[1]!.pair.pair_id);
    assert.match(await textOf(page, '#item pre code'), /print\(sorted\(\[3, 1, 2\]\)\)/);
    // A double press: one label only (the second is ignored while the first is in flight or settling).
    await settle(page);
    await page.keyboard.press('2');
    await page.keyboard.press('2');
    await progressIs(page, 2);
    await page.waitForTimeout(500);
    assert.equal(await shownPair(page), annPairs[2]!.pair.pair_id, 'the double press labelled one item');

    // Reload mid-queue: the token is kept for the tab, and the queue resumes at the third item.
    await page.reload();
    await page.waitForSelector('#item:not([hidden])');
    await progressIs(page, 2);
    assert.equal(await shownPair(page), annPairs[2]!.pair.pair_id);

    // Undo withdraws the second label and shows that item again; then tie, skip and answer 1.
    await settle(page);
    await page.keyboard.press('u');
    await progressIs(page, 1);
    assert.equal(await shownPair(page), annPairs[1]!.pair.pair_id);
    await settle(page);
    await page.keyboard.press('3');
    await progressIs(page, 2);
    // A double click on Skip: one label, the next item stays unlabelled.
    await settle(page);
    await page.dblclick('button[data-choice="skip"]');
    await progressIs(page, 3);
    await page.waitForTimeout(500);
    assert.equal(await shownPair(page), annPairs[3]!.pair.pair_id, 'the double click labelled one item');
    await page.click('button[data-choice="a"]');
    await progressIs(page, 4);
    await page.waitForSelector('#done:not([hidden])');
    assert.match(await textOf(page, '#progress'), /whole queue 7 of 9/);

    // In the store, as the stored A/B order maps them: a = chosen when A is the chosen answer.
    const mapped = (i: number, choice: 'a' | 'b') =>
      (choice === 'a') === annPairs[i]!.aIsChosen ? 'chosen' : 'rejected';
    assert.deepEqual(
      await currentLabels('ann'),
      new Map([
        [annPairs[0]!.pair.pair_id, mapped(0, 'a')],
        [annPairs[1]!.pair.pair_id, 'tie'],
        [annPairs[2]!.pair.pair_id, 'skip'],
        [annPairs[3]!.pair.pair_id, mapped(3, 'a')],
      ]),
    );
    // Every label row: no pair was labelled twice in a row without an undo between.
    const history = await running.store.query<{ pair_id: string; n: string }>(
      `SELECT pair_id, countIf(preferred != 'retracted') AS n FROM review_labels
       WHERE annotator_id = 'ann' GROUP BY pair_id ORDER BY pair_id`,
    );
    assert.deepEqual(
      history.map((h) => Number(h.n)).sort(),
      [1, 1, 1, 2],
      'one label per item, the undone item twice',
    );
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});

test("another annotator's items are out of reach with an annotator token, in the page and in the API", async (t) => {
  const asAnn = { authorization: `Bearer ${ANN}` };
  const queue = await fetch(`${running.url}/v1/review/queue?annotator=bob`, { headers: asAnn });
  assert.equal(queue.status, 403);
  assert.doesNotMatch(await queue.text(), /BOB-ONLY/);
  const label = await fetch(`${running.url}/v1/review/labels`, {
    method: 'POST',
    headers: { ...asAnn, 'content-type': 'application/json' },
    body: JSON.stringify({ pair_id: bobPairs[0]!.pair_id, annotator_id: 'bob', choice: 'a' }),
  });
  assert.equal(label.status, 403);
  await label.text();
  // Bob's item id under ann's token: refused (unknown to ann), nothing stored.
  const byItem = await fetch(`${running.url}/v1/review/labels`, {
    method: 'POST',
    headers: { ...asAnn, 'content-type': 'application/json' },
    body: JSON.stringify({ item_id: itemOf(bobPairs[0]!.pair_id, 'bob'), choice: 'a' }),
  });
  assert.equal(byItem.status, 400);
  assert.match(await byItem.text(), /unknown item/);
  // An annotator token opens neither the overview's parts nor the disputes.
  for (const path of ['/ui/part/pairs-table', '/ui/part/fixes', '/v1/review/disputes']) {
    const res = await fetch(`${running.url}${path}`, { headers: asAnn });
    assert.ok([401, 403].includes(res.status), `${path} answered ${res.status}`);
    await res.text();
  }
  // A form post from another site (not JSON) is refused before anything is read.
  const form = await fetch(`${running.url}/v1/review/labels`, {
    method: 'POST',
    headers: { ...asAnn, 'content-type': 'text/plain' },
    body: JSON.stringify({ item_id: itemOf(annPairs[0]!.pair.pair_id, 'ann'), choice: 'b' }),
  });
  assert.equal(form.status, 415);
  await form.text();
  assert.equal((await currentLabels('bob')).size, 0);
  // The whole queue's totals: any annotator's token reads them (two numbers, nothing per annotator); no
  // token, no numbers.
  const totals = await fetch(`${running.url}/ui/review-progress`, { headers: asAnn });
  assert.equal(totals.status, 200);
  assert.deepEqual(Object.keys((await totals.json()) as object).sort(), ['done', 'total']);
  const anonymous = await fetch(`${running.url}/ui/review-progress`);
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.headers.get('x-content-type-options'), 'nosniff');
  await anonymous.text();

  if (!haveChromium(t)) return;
  const { context, close } = await openBrowser();
  try {
    const page = await context.newPage();
    await page.goto(`${running.url}/review?annotator=bob`);
    await page.waitForSelector('#auth:not([hidden])');
    await page.fill('#auth-token', ANN);
    await page.press('#auth-token', 'Enter');
    await waitUntil(async () => /Could not load the queue/.test(await textOf(page, '#status')), 'a refusal');
    assert.doesNotMatch((await page.textContent('body')) ?? '', /BOB-ONLY/);
    assert.ok(await page.isHidden('#item'));
  } finally {
    await close();
  }
});

test('the reviewer resolves a disputed pair from the page (ingest token)', async (t) => {
  if (!haveChromium(t)) return;
  const { context, close } = await openBrowser();
  try {
    const page = await context.newPage();
    await page.goto(`${running.url}/reviewer`);
    await page.waitForSelector('#auth:not([hidden])');
    await page.fill('#auth-token', ADMIN);
    await page.press('#auth-token', 'Enter');
    await page.waitForSelector(`.dispute[data-pair="${disputed.pair_id}"]`);
    assert.match(await textOf(page, '.dispute'), /c1: chosen/);
    await page.fill('#reviewer-name', 'rita');
    const file = join(shots, 'reviewer.png');
    await page.screenshot({ path: file, fullPage: true });
    assert.ok(isPng(readFileSync(file)));
    await page.click(`.dispute[data-pair="${disputed.pair_id}"] button[data-resolution="void"]`);
    await waitUntil(async () => /Resolved pair/.test(await textOf(page, '#status')), 'the resolution');
    const rows = await running.store.query<{ resolution: string; reviewer: string }>(
      'SELECT resolution, reviewer FROM review_resolutions WHERE pair_id = {p:String}',
      { p: disputed.pair_id },
    );
    assert.deepEqual(rows, [{ resolution: 'void', reviewer: 'rita' }]);
  } finally {
    await close();
  }
});

test('undo shows the withdrawn item first even when it lies beyond the next page of the queue', async (t) => {
  if (!haveChromium(t)) return;
  // 22 items for "deep"; the last one labelled elsewhere (through the API), so it is not among the page's
  // first 20 once withdrawn.
  const deep = Array.from({ length: 22 }, (_, k) => {
    const pair_id = `deep-${String(k).padStart(2, '0')}`;
    const prompt = JSON.stringify([{ role: 'user', content: `deep question ${k}` }]);
    const pair = { ...annPairs[0]!.pair, pair_id, prompt, chosen: `yes ${k}`, rejected: `no ${k}` };
    const at = `2024-03-01 00:00:${String(k).padStart(2, '0')}.000`;
    return { ...assignment(pair, 'deep', true, 0), assigned_at: at };
  });
  await running.store.insert(TABLES.reviewAssignments, deep);
  const res = await fetch(`${running.url}/v1/review/labels`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ pair_id: 'deep-21', annotator_id: 'deep', choice: 'a' }),
  });
  assert.equal(res.status, 200, await res.text());
  const { context, close } = await openBrowser();
  try {
    const page = await context.newPage();
    await page.goto(`${running.url}/review?annotator=deep`);
    await page.waitForSelector('#auth:not([hidden])');
    await page.fill('#auth-token', ADMIN);
    await page.press('#auth-token', 'Enter');
    await page.waitForSelector('#item:not([hidden])');
    assert.equal(await shownPair(page), 'deep-00');
    await settle(page);
    await page.keyboard.press('u');
    await waitUntil(async () => (await shownPair(page)) === 'deep-21', 'the withdrawn item first');
    assert.equal((await currentLabels('deep')).size, 0);
    assert.match(await textOf(page, '#progress'), /deep: 0 of 22 labelled/);
  } finally {
    await close();
  }
});
