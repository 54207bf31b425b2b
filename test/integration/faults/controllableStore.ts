// A ClickHouse-HTTP endpoint over a real chDB store whose span/feedback/evaluation INSERTs can be made slow,
// cut, or committed without an answer; migrations, settings and queries always go through. The store's failure modes, on demand, on 127.0.0.1.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TABLES } from '../../../src/names.js';
import { createQueryHandler } from '../../../src/serve/queryEndpoint.js';
import type { Store } from '../../../src/sink/Store.js';

/**
 * up: inserts are stored and answered. hang: inserts wait (a slow store) until the mode changes.
 * drop: the connection is cut before anything is stored (a store that is down).
 * ack-lost: the insert is stored, then the connection is cut before the answer (a retry must not duplicate it).
 */
export type StoreMode = 'up' | 'hang' | 'drop' | 'ack-lost';

export interface ControllableStore {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Switches mode; held inserts are run (up, ack-lost) or cut (drop). */
  set(mode: StoreMode): void;
  /** Inserts held right now (mode hang). */
  held(): number;
  /** Inserts that reached the handler in mode ack-lost. */
  ackLost(): number;
  close(): Promise<void>;
}

export async function startControllableStore(store: Store): Promise<ControllableStore> {
  const handler = createQueryHandler(store);
  let mode: StoreMode = 'up';
  let held: Array<{ req: IncomingMessage; res: ServerResponse }> = [];
  let ackLost = 0;
  // Only the sink's data tables: start-up writes (migrations, pair settings) always go through.
  const dataTables = new Set<string>([TABLES.traces, TABLES.feedback, TABLES.evaluations]);
  const isInsert = (req: IncomingMessage) => {
    const sql = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
    const table = /^\s*INSERT\s+INTO\s+(?:\w+\.)?(\w+)/i.exec(sql)?.[1];
    return table !== undefined && dataTables.has(table);
  };
  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    if (mode === 'drop') {
      req.socket.destroy();
      return;
    }
    if (mode === 'ack-lost') {
      ackLost += 1;
      // The handler stores the rows, then its answer is lost with the connection.
      res.writeHead = (() => res) as typeof res.writeHead;
      res.end = (() => {
        req.socket.destroy();
        return res;
      }) as typeof res.end;
    }
    handler(req, res);
  };
  const server = createServer((req, res) => {
    if (!isInsert(req) || mode === 'up') return handler(req, res);
    if (mode !== 'hang') return serve(req, res);
    held.push({ req, res });
    res.on('close', () => (held = held.filter((h) => h.req !== req)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    set(next) {
      mode = next;
      if (next === 'hang') return;
      const release = held;
      held = [];
      for (const h of release) serve(h.req, h.res);
    },
    held: () => held.length,
    ackLost: () => ackLost,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
