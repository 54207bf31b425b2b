// The V8 flags `npm start` runs serve with: package.json's start script is the one place they are set.
import { readFileSync } from 'node:fs';

/** The `--max-*` flags of package.json's start script (the young generation's size). */
export function serveNodeFlags(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return (pkg.scripts.start ?? '').split(/\s+/).filter((a) => a.startsWith('--max-'));
}
