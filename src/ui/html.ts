// HTML built on the server is escaped by construction: `html` escapes every interpolated value unless it is
// already SafeHtml (made by `html` itself or by `raw` on text this module's callers wrote). Answers and prompts
// are untrusted model output, so nothing from the store reaches a page without passing through here.

/** Markup known to be safe: produced by `html`, the SVG helpers, or `raw` on constant text. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

type Part = SafeHtml | string | number | bigint | boolean | null | undefined | readonly Part[];

function render(part: Part): string {
  if (part instanceof SafeHtml) return part.text;
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join('');
  if (part === null || part === undefined || part === false) return '';
  return escapeHtml(part);
}

/** Tagged template: the literal parts are trusted markup, every value is escaped (arrays joined). */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** Constant markup written in this code base (never a value from the store or a request). */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A long text shortened for a table cell, with an ellipsis when cut. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** The messages of a stored prompt (JSON array of {role, content}) as plain "role: content" text. */
export function promptText(prompt: string): string {
  try {
    const messages = JSON.parse(prompt) as unknown;
    if (Array.isArray(messages))
      return messages
        .map((m: { role?: unknown; content?: unknown }) =>
          typeof m?.content === 'string' ? `${String(m.role ?? '')}: ${m.content}` : '',
        )
        .filter(Boolean)
        .join('\n');
  } catch {
    // Not JSON: shown as stored.
  }
  return prompt;
}

/** A number for a page: integers grouped, fractions to `digits` places, '–' for nothing. */
export function num(value: unknown, digits = 0): string {
  if (value === null || value === undefined || value === '') return '–';
  const n = Number(value);
  if (!Number.isFinite(n)) return '–';
  return n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
