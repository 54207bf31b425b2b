// Run by Spool.test.ts under `ulimit -f 64` (SIGXFSZ ignored): appends that outgrow the file size limit
// fail partway with EFBIG. Prints what the spool holds afterwards, as JSON.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Spool } from '../../../src/sink/Spool.js';

const dir = process.argv[2]!;
const rec = (token: string, bytes: number) => ({
  table: 'otel_traces',
  token,
  rows: 1,
  body: Buffer.alloc(bytes, 0x61),
});
const spool = new Spool(dir);
let error = '';
// Two records fit under 64 KiB, the third does not: the write fails after two whole records.
await spool
  .append([rec('a', 30_000), rec('b', 30_000), rec('c', 30_000)])
  .catch((e: Error) => (error = e.message));
await spool.append([rec('d', 1_000)]);
const replayed: string[] = [];
const outcome = await spool.replay(async (r) => {
  replayed.push(r.token);
});
const onDisk = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
console.log(
  JSON.stringify({ error, replayed, corruptTails: outcome.corruptTails, bytes: spool.bytes, onDisk }),
);
