// The UI's static files, served by prefloop itself (nothing fetched from the internet): the three page
// shells and their scripts and style sheet, read from src/ui/assets in the package (the same folder from
// tsx and from dist/, through packagePath). Scripts live in files so the Content-Security-Policy can forbid
// inline script and style outright.
import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { PATHS } from '../names.js';
import { packagePath } from '../paths.js';
import type { ReceiverRoute } from '../receive/OtlpReceiver.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The page shells, by the path they are served at. */
const PAGES: Record<string, string> = {
  [PATHS.overview]: 'overview.html',
  [PATHS.review]: 'review.html',
  [PATHS.reviewer]: 'reviewer.html',
};

/** Headers every UI answer carries: no inline script or style, no framing, no type sniffing, no referrer. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy':
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; " +
      "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
  };
}

/** The folder holding the assets. */
export function assetsDir(): string {
  return packagePath('src', 'ui', 'assets');
}

/** A route per asset file and per page; read once, at mount. */
export function assetRoutes(): ReceiverRoute[] {
  const files = readdirSync(assetsDir()).filter((f) => TYPES[extname(f)]);
  const route = (path: string, file: string): ReceiverRoute => {
    const body = readFileSync(`${assetsDir()}/${file}`);
    const headers = {
      'Content-Type': TYPES[extname(file)]!,
      'Content-Length': String(body.length),
      'Cache-Control': 'no-cache',
      ...securityHeaders(),
    };
    return {
      method: 'GET',
      path,
      ownAuth: true,
      handle: (_req, res) => {
        res.writeHead(200, headers);
        res.end(body);
      },
    };
  };
  return [
    ...Object.entries(PAGES).map(([path, file]) => route(path, file)),
    ...files.filter((f) => !f.endsWith('.html')).map((f) => route(`${PATHS.uiAssets}${f}`, f)),
  ];
}
