// The bench's thread split: libuv's pool is found by the work it runs, and its CPU is counted apart from V8's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pbkdf2Sync, pbkdf2 } from 'node:crypto';
import { libuvPoolThreads, nodeThreadsCpuSeconds, nodeThreadsCpuSince } from '../../../bench/threadCpu.js';

const linux = process.platform === 'linux';

test(
  'the pool is as many threads as libuv runs, none of them the main thread',
  { skip: !linux },
  async () => {
    const pool = await libuvPoolThreads();
    assert.ok(pool, 'the probe told the pool apart');
    assert.equal(pool.size, Math.min(1024, Number(process.env.UV_THREADPOOL_SIZE) || 4));
    assert.ok(!pool.has(String(process.pid)));
  },
);

test(
  "work handed to the pool counts as the pool's, work on the main thread as neither",
  { skip: !linux },
  async () => {
    const pool = await libuvPoolThreads();
    assert.ok(pool);
    const before = nodeThreadsCpuSeconds(pool);
    // Some CPU-s on the pool, then more than that on the main thread: counted as a helper's, it would outweigh
    // the pool's.
    await Promise.all(
      [0, 1].map(() => new Promise((resolve) => pbkdf2('x', 'y', 500_000, 32, 'sha256', resolve))),
    );
    pbkdf2Sync('x', 'y', 1_500_000, 32, 'sha256');
    const spent = nodeThreadsCpuSince(before, nodeThreadsCpuSeconds(pool));
    assert.ok(spent);
    assert.ok(spent.libuvPool >= 0.05, `the pool's CPU grew by ${spent.libuvPool} s`);
    assert.ok(
      spent.v8Helpers < spent.libuvPool,
      `V8's helpers (${spent.v8Helpers} s) did not get the pool's work (${spent.libuvPool} s)`,
    );
  },
);
