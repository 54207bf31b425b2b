// Headless Chromium for the UI tests: Debian's `chromium` package (never a browser download), driven by
// playwright-core, with a fresh profile in a temp folder and nothing reaching the network on its own.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.PREFLOOP_CHROMIUM || '/usr/bin/chromium';
export const SKIP_REASON = `Chromium not found at ${CHROMIUM}: browser tests skipped (apt-get install chromium)`;

/** True when the browser is there; otherwise the test is skipped with one line saying how to get it. */
export function haveChromium(t: TestContext): boolean {
  if (existsSync(CHROMIUM)) return true;
  t.skip(SKIP_REASON);
  return false;
}

/** A browser with its own fresh profile; `close` ends it and removes the profile. */
export async function openBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'prefloop-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/**
 * Where screenshots go: PREFLOOP_UI_SCREENSHOTS (docs/images, to refresh the docs' pictures) or a temp folder
 * that `cleanup` removes.
 */
export function screenshotDir(): { dir: string; cleanup: () => void } {
  const kept = process.env.PREFLOOP_UI_SCREENSHOTS;
  if (kept) return { dir: kept, cleanup: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'prefloop-shots-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** True for a file that starts with the PNG signature and holds more than a header. */
export function isPng(bytes: Buffer): boolean {
  return bytes.length > 1000 && bytes.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]));
}

/** The text of the first element matching `selector` ('' when none). */
export async function textOf(page: Page, selector: string): Promise<string> {
  return (await page.textContent(selector)) ?? '';
}

/** What the hostile text would have set had it run (undefined: it did not). */
export function pwned(page: Page): Promise<unknown> {
  return page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned);
}

/**
 * Waits until `check` holds, polling from the test (the pages' CSP forbids the string evaluation that
 * page.waitForFunction would use).
 */
export async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
