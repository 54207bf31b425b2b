// The overview: each section is a server-rendered part; the pairs table searches and pages without a reload.
import { loadPart } from './common.js';

const parts = [...document.querySelectorAll('[data-part]')];
const table = document.querySelector('[data-part="pairs-table"]');
let query = new URLSearchParams();

function loadTable() {
  return loadPart(table, query.toString());
}

table.addEventListener('submit', (event) => {
  if (event.target.id !== 'pairs-search') return;
  event.preventDefault();
  const form = new FormData(event.target);
  query = new URLSearchParams();
  for (const key of ['q', 'source']) if (form.get(key)) query.set(key, String(form.get(key)));
  loadTable().then(() => document.getElementById('pairs-q')?.focus());
});

table.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-offset]');
  if (!button) return;
  query.set('offset', button.dataset.offset);
  loadTable().then(() => table.querySelector('.pager button')?.focus());
});

// One after the other: on a big store the parts are heavy queries, and a small server has few cores.
(async () => {
  for (const part of parts) await loadPart(part);
  document.body.dataset.loaded = 'true';
})();
