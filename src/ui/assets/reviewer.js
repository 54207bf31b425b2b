// The reviewers' page: review-band pairs (annotators disagreed) to resolve, and Path B fixes to approve,
// edit or reject. Disputes come from the review API as JSON and are drawn with textContent; the fixes list is
// a server-rendered part.
import { api, el, loadPart, renderText } from './common.js';

const NAME_KEY = 'prefloop.reviewer';
const nameInput = document.getElementById('reviewer-name');
const status = document.getElementById('status');
const list = document.getElementById('disputes-list');
const fixes = document.querySelector('[data-part="fixes"]');
nameInput.value = sessionStorage.getItem(NAME_KEY) || '';
nameInput.addEventListener('change', () => sessionStorage.setItem(NAME_KEY, nameInput.value.trim()));

function reviewer() {
  const name = nameInput.value.trim();
  if (!name) {
    status.textContent = 'Type your reviewer name first: it is recorded with each decision.';
    nameInput.focus();
  }
  return name;
}

function say(text) {
  status.textContent = text;
}

function conversation(prompt) {
  const ol = el('ol', 'conversation');
  for (const m of Array.isArray(prompt) ? prompt : []) {
    const li = el('li', `msg role-${String(m.role).replace(/[^a-z]/gi, '')}`);
    li.append(el('span', 'role', String(m.role ?? '')));
    const body = el('div', 'msg-body');
    renderText(body, m.content);
    li.append(body);
    ol.append(li);
  }
  return ol;
}

function answer(title, text) {
  const article = el('article');
  article.append(el('h4', '', title));
  const body = el('div', 'answer');
  renderText(body, text);
  article.append(body);
  return article;
}

async function loadDisputes() {
  list.setAttribute('aria-busy', 'true');
  try {
    const data = await api('/v1/review/disputes');
    const items = Array.isArray(data) ? data : data.items || data.disputes || [];
    list.replaceChildren();
    if (!items.length) list.append(el('p', 'empty', 'No pairs in the review band await a decision.'));
    for (const d of items) list.append(dispute(d));
  } catch (err) {
    list.replaceChildren(el('p', 'error', `Could not load the review band: ${err.message}`));
  } finally {
    list.setAttribute('aria-busy', 'false');
  }
}

function dispute(d) {
  const box = el('article', 'dispute');
  box.dataset.pair = d.pair_id;
  box.append(el('h3', '', `Pair ${String(d.pair_id).slice(0, 12)} · ${d.source ?? ''}`));
  const labels = Array.isArray(d.labels) ? d.labels : [];
  const counts = labels.length
    ? labels.map((l) => `${l.annotator_id ?? l.annotator}: ${l.preferred}`).join(', ')
    : `${d.counts?.chosen ?? 0} chosen, ${d.counts?.rejected ?? 0} rejected, ${d.counts?.tie ?? 0} tie`;
  const agreement = Number(d.annotator_agreement);
  box.append(
    el(
      'p',
      'note',
      `Labels: ${counts}${Number.isFinite(agreement) ? ` · agreement ${agreement.toFixed(2)}` : ''}`,
    ),
  );
  if (d.prompt) box.append(conversation(d.prompt));
  const side = el('div', 'side');
  side.append(answer('Chosen (as the pair stands)', d.chosen ?? ''), answer('Rejected', d.rejected ?? ''));
  box.append(side);
  const actions = el('div', 'actions');
  actions.setAttribute('role', 'group');
  actions.setAttribute('aria-label', 'Resolve this pair');
  for (const [resolution, label] of [
    ['chosen', 'Keep as is'],
    ['rejected', 'Flip (rejected is better)'],
    ['void', 'Void (leave out)'],
  ]) {
    const b = el('button', '', label);
    b.type = 'button';
    b.dataset.resolution = resolution;
    actions.append(b);
  }
  box.append(actions);
  return box;
}

list.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-resolution]');
  if (!button) return;
  const name = reviewer();
  if (!name) return;
  const box = button.closest('.dispute');
  const buttons = box.querySelectorAll('button');
  buttons.forEach((b) => (b.disabled = true));
  try {
    await api('/v1/review/resolutions', {
      pair_id: box.dataset.pair,
      resolution: button.dataset.resolution,
      reviewer: name,
    });
    say(`Resolved pair ${box.dataset.pair.slice(0, 12)}: ${button.dataset.resolution}.`);
    box.remove();
    if (!list.querySelector('.dispute'))
      list.append(el('p', 'empty', 'No pairs in the review band await a decision.'));
  } catch (err) {
    say(`Not saved: ${err.message}`);
    buttons.forEach((b) => (b.disabled = false));
  }
});

fixes.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  const name = reviewer();
  if (!name) return;
  const item = button.closest('.fix');
  const state = item.querySelector('.fix-state');
  const buttons = item.querySelectorAll('button');
  buttons.forEach((b) => (b.disabled = true));
  const action = button.dataset.action;
  try {
    const out = await api('/v1/clusters/fixes/review', {
      cluster_id: item.dataset.cluster,
      action,
      reviewer: name,
      ...(action === 'edit' ? { fix_response: item.querySelector('.fix-text').value } : {}),
    });
    const word = { approve: 'Approved', edit: 'Edited', reject: 'Rejected' }[action];
    state.textContent = `${word}: now ${out.status ?? 'stored'}.`;
    say(`${word} the fix for ${item.querySelector('h3').textContent}.`);
  } catch (err) {
    state.textContent = `Not saved: ${err.message}`;
    buttons.forEach((b) => (b.disabled = false));
  }
});

loadDisputes();
loadPart(fixes).then(() => (document.body.dataset.loaded = 'true'));
