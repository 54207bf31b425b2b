// Test fixture: a real HTTP server speaking the ClickHouse HTTP subset over a real chDB store, on 127.0.0.1.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PATHS } from '../../src/names.js';
import { ChdbStore } from '../../src/sink/ChdbStore.js';
import { HttpStore } from '../../src/sink/HttpStore.js';
import { createQueryHandler } from '../../src/serve/queryEndpoint.js';
import type { Store } from '../../src/sink/Store.js';

export interface ClickHouseHttpFixture {
  /** http://127.0.0.1:<port> (the same across stop/start). */
  url: string;
  /** Stops accepting and drops open connections (the store "goes down"). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

export async function startClickHouseHttp(store: Store, basePath = ''): Promise<ClickHouseHttpFixture> {
  const handler = createQueryHandler(store, { basePath });
  let server: Server | undefined;
  let port = 0;
  const listen = async (): Promise<void> => {
    const s = createServer(handler);
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  };
  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    start: listen,
  };
}

/** An HttpStore talking, through the real @clickhouse/client, to a fresh chDB folder behind the query endpoint. */
export interface HttpOverChdb {
  /** The temp folder (the engine's data, and room for a test's own files). */
  dir: string;
  http: HttpStore;
  embedded: ChdbStore;
  fixture: ClickHouseHttpFixture;
  /** Closes the client, the server and the engine, and deletes the folder. */
  close(): Promise<void>;
}

export async function httpStoreOverChdb(folderPrefix: string): Promise<HttpOverChdb> {
  const dir = mkdtempSync(join(tmpdir(), folderPrefix));
  const embedded = new ChdbStore(dir, 'prefloop');
  const fixture = await startClickHouseHttp(embedded, PATHS.query);
  const http = new HttpStore({ kind: 'http', url: fixture.url, pathname: PATHS.query, database: 'prefloop' });
  return {
    dir,
    http,
    embedded,
    fixture,
    async close() {
      await http.close();
      await fixture.stop();
      await embedded.close();
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}
