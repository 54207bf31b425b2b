// Shared by the UI's pages: the bearer token (typed once, kept in this tab's sessionStorage), JSON calls to
// the API, server-rendered parts, and safe rendering of untrusted text. Every text from the store is put in
// the page with textContent (never innerHTML); the only innerHTML is a part the server escaped.
const TOKEN_KEY = 'prefloop.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

function headers(extra) {
  const h = { ...extra };
  const t = token();
  if (t) h.Authorization = `Bearer ${t}`;
  return h;
}

let waiting;
/** Shows the token form and resolves once a token is entered (one form for every call waiting on it). */
function askToken() {
  if (waiting) return waiting;
  const form = document.getElementById('auth');
  waiting = new Promise((resolve) => {
    form.hidden = false;
    const input = document.getElementById('auth-token');
    input.focus();
    form.addEventListener(
      'submit',
      (event) => {
        event.preventDefault();
        sessionStorage.setItem(TOKEN_KEY, input.value.trim());
        input.value = '';
        // Keys typed next belong to the page (the review queue's shortcuts), not to the hidden field.
        input.blur();
        form.hidden = true;
        waiting = undefined;
        resolve();
      },
      { once: true },
    );
  });
  return waiting;
}

/** A fetch with the token; a 401 asks for a token and tries again. */
export async function call(path, options = {}) {
  for (;;) {
    const res = await fetch(path, { ...options, headers: headers(options.headers), credentials: 'omit' });
    if (res.status !== 401) return res;
    sessionStorage.removeItem(TOKEN_KEY);
    await askToken();
  }
}

/** A JSON API call: the parsed answer, or an Error carrying the server's message and problems. */
export async function api(path, body) {
  const res = await call(
    path,
    body === undefined
      ? {}
      : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
  );
  const text = await res.text();
  let value;
  try {
    value = text ? JSON.parse(text) : {};
  } catch {
    value = { error: text };
  }
  if (!res.ok) {
    const problems = Array.isArray(value.problems) ? `: ${value.problems.join('; ')}` : '';
    const err = new Error(`${value.error || res.statusText}${problems}`);
    err.status = res.status;
    throw err;
  }
  return value;
}

/** Loads a server-rendered part into its element (the server escaped every value in it). */
export async function loadPart(element, query = '') {
  const name = element.dataset.part;
  element.setAttribute('aria-busy', 'true');
  try {
    const res = await call(`/ui/part/${name}${query ? `?${query}` : ''}`);
    element.innerHTML = await res.text();
  } catch (err) {
    element.textContent = `Could not load: ${err.message}`;
  } finally {
    element.setAttribute('aria-busy', 'false');
  }
}

/**
 * Untrusted text into `parent`: Markdown code fences (```lang … ```) become <pre><code>, everything else a
 * paragraph block whose line breaks are kept by CSS (white-space: pre-wrap). Only textContent is used.
 */
export function renderText(parent, text) {
  parent.replaceChildren();
  const parts = String(text ?? '').split(/^```[^\n`]*\n?/m);
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      const pre = document.createElement('pre');
      const code = document.createElement('code');
      code.textContent = part.replace(/\n$/, '');
      pre.append(code);
      parent.append(pre);
    } else if (part.trim() !== '') {
      const div = document.createElement('div');
      div.className = 'prose';
      div.textContent = part.replace(/^\n+|\n+$/g, '');
      parent.append(div);
    }
  });
}

/** An element with a class and text (textContent). */
export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
