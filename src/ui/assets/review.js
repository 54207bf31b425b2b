// The annotators' queue: one item at a time, keys 1/2 pick, 3 tie, s skip, u undo (buttons for each). A
// label is saved at once through the review API. A double press never stores two labels: while a label is in
// flight every key and button is ignored (a flag set before the request, not a timer), a held key's repeats
// and a double click's second click are dropped, the API ignores a repeated identical label, and a key press
// just after the next item appears (the tail of a fast double press) is not taken for a decision on it.
// Nothing here learns which answer a source preferred: the API maps 1/2 to chosen/rejected with the stored
// A/B order.
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
// The items labelled in this tab, newest last: an undone one is shown again from here when the next queue
// page does not hold it (a label given out of queue order).
const labelled = [];
const KEEP_LABELLED = 50;
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
  // aria-disabled rather than disabled: a disabled button drops the keyboard focus, and the handlers check
  // `busy` anyway.
  buttons.forEach((b) => b.setAttribute('aria-disabled', String(value)));
  itemBox.setAttribute('aria-busy', String(value));
}

function showProgress() {
  const q = queueTotals ? ` · whole queue ${queueTotals.done} of ${queueTotals.total}` : '';
  progress.textContent = `${annotator}: ${mine.done} of ${mine.total} labelled${q}`;
}

/** Every annotator's labels together (its own route: the review API gives only the annotator's numbers). */
async function fetchQueueTotals() {
  try {
    const data = await api('/ui/review-progress');
    queueTotals = { done: Number(data.done ?? 0), total: Number(data.total ?? 0) };
  } catch {
    // The header then shows the annotator's own progress only.
    queueTotals = undefined;
  }
  showProgress();
}

async function fetchQueue(limit = 20) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (annotator) query.set('annotator', annotator);
  const data = await api(`/v1/review/queue?${query}`);
  annotator = data.annotator || annotator;
  mine = { done: Number(data.done ?? 0), total: Number(data.total ?? 0) };
  items = Array.isArray(data.items) ? data.items : [];
  showProgress();
  fetchQueueTotals();
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
  itemBox.dataset.item = current.item_id;
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
    let out;
    try {
      // By item id: the page never knows a pair id (a hash of the texts in chosen order would give the answer away).
      out = await api('/v1/review/labels', { item_id: item.item_id, annotator_id: annotator, choice });
    } catch (err) {
      say(`Not saved: ${err.message}`);
      return;
    }
    items = items.filter((i) => i.item_id !== item.item_id);
    labelled.push(item);
    if (labelled.length > KEEP_LABELLED) labelled.shift();
    // A label already there (stored 0) was counted when it was given.
    if (out.stored !== 0) {
      mine.done += 1;
      if (queueTotals) queueTotals.done += 1;
    }
    say(`Saved: ${WORDS[choice]}${out.stored === 0 ? ' (already saved)' : ''}.`);
    if (items.length === 0) {
      try {
        await fetchQueue();
      } catch (err) {
        // Not "queue empty": the queue is unknown until a reload.
        say(`Saved: ${WORDS[choice]}, but the next items could not be loaded (reload): ${err.message}`);
        current = undefined;
        itemBox.hidden = true;
        return;
      }
    }
    showProgress();
    show();
  } finally {
    setBusy(false);
  }
}

/** The withdrawn item at the head of the queue, wherever it was (see `labelled`). */
async function bringBack(itemId) {
  const at = (list) => list.findIndex((i) => i.item_id === itemId);
  if (at(items) >= 0) {
    items.unshift(...items.splice(at(items), 1));
    return;
  }
  const kept = labelled[at(labelled)];
  if (kept) {
    items.unshift(kept);
    return;
  }
  // Labelled in another tab and not in the next page of the queue: read the whole (bounded) queue once.
  const page = items;
  await fetchQueue(1000);
  const found = items[at(items)];
  items = found ? [found, ...page.filter((i) => i.item_id !== itemId)] : page;
}

async function undo() {
  if (busy) return;
  setBusy(true);
  try {
    const out = await api('/v1/review/undo', { annotator_id: annotator });
    await fetchQueue();
    // The item just un-labelled comes back first, so the annotator can label it again.
    if (out.item_id) await bringBack(out.item_id);
    const i = labelled.findIndex((l) => l.item_id === out.item_id);
    if (i >= 0) labelled.splice(i, 1);
    say(out.item_id ? 'Undone: the last label is withdrawn.' : 'Nothing to undo.');
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
  b.addEventListener('click', (event) => {
    // The second click of a double click (detail 2) is the same decision again, never one on the next item.
    if (event.detail > 1) return;
    if (b.id === 'undo') undo();
    // detail 0: Enter or Space on the focused button, which a held key repeats: treated as a key press.
    else label(b.dataset.choice, event.detail === 0);
  });
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
