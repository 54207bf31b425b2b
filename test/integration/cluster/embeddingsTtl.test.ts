// span_embeddings stays bounded under serve's clustering schedule: lexical vectors (keyed by the window they
// were fitted on, never read again once the window slides) expire; an embeddings endpoint's vectors stay.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES } from '../../../src/names.js';
import { ChdbStore } from '../../../src/sink/ChdbStore.js';
import { migrate } from '../../../src/sink/migrate.js';

const root = mkdtempSync(join(tmpdir(), 'prefloop-embeddings-ttl-'));
after(() => rmSync(root, { recursive: true, force: true, maxRetries: 5 }));

test('old lexical vectors expire, old endpoint vectors and fresh lexical ones stay', async () => {
  const db = new ChdbStore(join(root, 'data'), 'prefloop');
  try {
    await migrate(db);
    const old = '2020-01-01 00:00:00.000';
    const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
    await db.insert(TABLES.spanEmbeddings, [
      { TextHash: 'a', Model: 'lexical-v2/old-window', Vector: [1, 0], CreatedAt: old },
      { TextHash: 'b', Model: 'openai:text-embedding-3-small', Vector: [0, 1], CreatedAt: old },
      { TextHash: 'c', Model: 'lexical-v2/this-window', Vector: [1, 1], CreatedAt: now },
    ]);
    await db.command(`OPTIMIZE TABLE ${TABLES.spanEmbeddings} FINAL`); // a merge applies the TTL
    const rows = await db.query<{ TextHash: string }>(
      `SELECT TextHash FROM ${TABLES.spanEmbeddings} ORDER BY TextHash`,
    );
    assert.deepEqual(
      rows.map((r) => r.TextHash),
      ['b', 'c'],
    );
  } finally {
    await db.close();
  }
});
