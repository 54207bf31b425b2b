// Connections that never send a request are closed after the idle timeout, and past the cap new ones are
// closed at once; the receiver keeps answering (issue 30).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { Metrics } from '../../../src/observe/Metrics.js';
import { OtlpReceiver } from '../../../src/receive/OtlpReceiver.js';
import { RecordingIntake, send } from './harness.js';

let receiver: OtlpReceiver;
let port: number;
before(async () => {
  receiver = new OtlpReceiver(
    { host: '127.0.0.1', port: 0, connections: { idleMs: 300, max: 3 } },
    new RecordingIntake(),
    new Metrics(),
  );
  port = (await receiver.start()).port;
});
after(async () => {
  await receiver.close();
});

/** Opens a silent connection; resolves with the ms until the server closed it (or Infinity past `waitMs`). */
function silent(waitMs: number): { socket: Socket; closed: Promise<number> } {
  const start = Date.now();
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => {
    const timer = setTimeout(() => resolve(Infinity), waitMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - start);
    });
  });
  return { socket, closed };
}

test('silent connections are closed by the idle timeout; one past the cap is closed on arrival', async () => {
  const held = [silent(20_000), silent(20_000), silent(20_000)];
  await new Promise((r) => setTimeout(r, 100));
  const extra = silent(20_000);
  const times = await Promise.all([...held.map((h) => h.closed), extra.closed]);
  for (const t of times) assert.ok(t < 20_000, `a silent connection stayed open (closed after ${t} ms)`);
  const health = await send(`http://127.0.0.1:${port}`, { method: 'GET', path: '/healthz' });
  assert.equal(health.status, 200);
});
