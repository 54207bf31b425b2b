// Accessibility checks run in the page: every visible control has a name, and text has at least 4.5:1
// contrast against what is behind it (backgrounds composited up the tree, the page white underneath). The
// in-page code is plain JavaScript text: tsx would wrap a TypeScript function's inner helpers in a `__name`
// call that does not exist in the page.
import type { Page } from 'playwright-core';

const UNLABELLED = `[...document.querySelectorAll('button, input, select, textarea')]
  .filter((e) => e.offsetParent !== null)
  .filter((e) => !((e.labels && e.labels.length) || e.getAttribute('aria-label') || e.textContent.trim()))
  .map((e) => e.outerHTML.slice(0, 120))`;

const CONTRAST = `((sel, floor) => {
  const parse = (c) => {
    const n = (c.match(/[\\d.]+/g) || []).map(Number);
    return [n[0] || 0, n[1] || 0, n[2] || 0, n[3] === undefined ? 1 : n[3]];
  };
  const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
  const background = (e) => {
    if (!e) return [255, 255, 255, 1];
    const own = parse(getComputedStyle(e).backgroundColor);
    return own[3] >= 1 ? own : over(own, background(e.parentElement));
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const x = v / 255;
      return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  return [...document.querySelectorAll(sel)].flatMap((e) => {
    const bg = background(e);
    const fg = over(parse(getComputedStyle(e).color), bg);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    return ratio < floor ? [e.textContent.trim().slice(0, 40) + ': ' + ratio.toFixed(2)] : [];
  });
})`;

/** The visible buttons, inputs, selects and text areas with no label, aria-label or text (their HTML). */
export function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(UNLABELLED);
}

/** Each element matching `selector` whose text contrast is under `min`, as "text: ratio". */
export function lowContrast(page: Page, selector: string, min = 4.5): Promise<string[]> {
  return page.evaluate(`${CONTRAST}(${JSON.stringify(selector)}, ${min})`);
}
