// The annotators' queue: one item at a time, keys 1/2 pick, 3 tie, s skip, u undo (buttons for each). A
// label is saved at once through the review API; while it is in flight every key and button is ignored, and
// the API is idempotent for a repeated label, so a double press never stores two. Nothing here learns which
// answer a source preferred: the API maps 1/2 to chosen/rejected with the stored A/B order.
import { api, el, renderText } from './common.js';

const params = new URLSearchParams(location.search);
const named = (params.get('annotator') || '').trim();
const status = document.getElementById('status');
const progress = document.getElementById('progress');
const itemBox = document.getElementById('item');
const doneBox = document.getElementById('done');
const buttons = [...document.querySelectorAll('.actions button')];

let annotator = named;
let items = [];
let current;
let busy = false;
let mine = { done: 0, total: 0 };
let queueTotals;
// A key press this soon after a new item appears is taken as the tail of a double press on the item
// before, not a decision about this one (which the annotator has not had time to read).
const SETTLE_MS = 300;
let shownAt = 0;

const WORDS = { a: 'answer 1 preferred', b: 'answer 2 preferred', tie: 'tie', skip: 'skipped' };

function say(text) {
  status.textContent = text;
}

function setBusy(value) {
  busy = value;
  buttons.forEach((b) => (b.disabled = value));
  itemBox.setAttribute('aria-busy', String(value));
}

function showProgress() {
  // The queue's totals when the API gives them apart from the annotator's own (the same numbers say nothing new).
  const apart = queueTotals && (queueTotals.done !== mine.done || queueTotals.total !== mine.total);
  const q = apart ? ` · whole queue ${queueTotals.done} of ${queueTotals.total}` : '';
  progress.textContent = `${annotator}: ${mine.done} of ${mine.total} labelled${q}`;
}

async function fetchQueue() {
  const query = new URLSearchParams({ limit: '20' });
  if (annotator) query.set('annotator', annotator);
  const data = await api(`/v1/review/queue?${query}`);
  annotator = data.annotator || annotator;
  mine = { done: Number(data.done ?? 0), total: Number(data.total ?? 0) };
  queueTotals = data.queue ? { done: Number(data.queue.done), total: Number(data.queue.total) } : undefined;
  items = Array.isArray(data.items) ? data.items : [];
  showProgress();
}

function show() {
  current = items[0];
  if (!current) {
    itemBox.hidden = true;
    doneBox.hidden = false;
    document.body.dataset.state = 'empty';
    return;
  }
  doneBox.hidden = true;
  itemBox.hidden = false;
  itemBox.dataset.pair = current.pair_id;
  const conv = document.getElementById('conversation');
  conv.replaceChildren();
  for (const m of current.prompt || []) {
    const li = el('li', `msg role-${String(m.role).replace(/[^a-z]/gi, '')}`);
    li.append(el('span', 'role', String(m.role ?? '')));
    const body = el('div', 'msg-body');
    renderText(body, m.content);
    li.append(body);
    conv.append(li);
  }
  renderText(document.getElementById('answer-a'), current.a);
  renderText(document.getElementById('answer-b'), current.b);
  document.body.dataset.state = 'item';
  shownAt = performance.now();
}

async function label(choice, byKey = false) {
  if (busy || !current) return;
  if (byKey && performance.now() - shownAt < SETTLE_MS) return;
  setBusy(true);
  const item = current;
  try {
    const out = await api('/v1/review/labels', { pair_id: item.pair_id, annotator_id: annotator, choice });
    items = items.filter((i) => i.pair_id !== item.pair_id);
    mine.done += 1;
    if (queueTotals) queueTotals.done += 1;
    say(`Saved: ${WORDS[choice]}${out.stored === 0 ? ' (already saved)' : ''}.`);
    if (items.length === 0) await fetchQueue();
    showProgress();
    show();
  } catch (err) {
    say(`Not saved: ${err.message}`);
  } finally {
    setBusy(false);
  }
}

async function undo() {
  if (busy) return;
  setBusy(true);
  try {
    const out = await api('/v1/review/undo', { annotator_id: annotator });
    await fetchQueue();
    // The item just un-labelled comes back first, so the annotator can label it again.
    const back = items.findIndex((i) => i.pair_id === out.pair_id);
    if (back > 0) items.unshift(...items.splice(back, 1));
    say(out.pair_id ? 'Undone: the last label is withdrawn.' : 'Nothing to undo.');
    show();
  } catch (err) {
    say(err.status === 404 ? 'Nothing to undo.' : `Undo failed: ${err.message}`);
  } finally {
    setBusy(false);
  }
}

const KEYS = { 1: 'a', 2: 'b', 3: 'tie', s: 'skip', S: 'skip' };

document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest && event.target.closest('input, textarea, select')) return;
  if (event.repeat) return;
  if (KEYS[event.key]) {
    event.preventDefault();
    label(KEYS[event.key], true);
  } else if (event.key === 'u' || event.key === 'U') {
    event.preventDefault();
    undo();
  }
});

for (const b of buttons) {
  b.addEventListener('click', () => (b.id === 'undo' ? undo() : label(b.dataset.choice)));
}

(async () => {
  try {
    await fetchQueue();
    show();
  } catch (err) {
    if (err.status === 400 && !annotator) {
      // No name and no annotator token: ask for the name (auth off).
      document.getElementById('who').hidden = false;
      document.getElementById('who-name').focus();
      say('');
    } else say(`Could not load the queue: ${err.message}`);
  } finally {
    document.body.dataset.loaded = 'true';
  }
})();
