// The load client: POSTs pre-encoded OTLP protobuf bodies with fixed concurrency over keep-alive,
// honouring 429/503 Retry-After like an OTLP exporter, and timing every request.
import { Agent, request } from 'node:http';

export interface LoadResult {
  /** Wall-clock ms of each accepted request (including its retries' waits). */
  latenciesMs: number[];
  retries: number;
  failures: number;
  startedAt: number;
  finishedAt: number;
}

export async function sendAll(
  url: string,
  bodies: readonly Uint8Array[],
  concurrency: number,
): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL('/v1/traces', url);
  const latenciesMs: number[] = [];
  let retries = 0;
  let failures = 0;
  let next = 0;
  const startedAt = Date.now();
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const t0 = performance.now();
      for (let attempt = 0; ; attempt++) {
        const { status, retryAfter } = await post(agent, target, body);
        if (status === 200) {
          latenciesMs.push(performance.now() - t0);
          break;
        }
        if ((status === 429 || status === 503) && attempt < 50) {
          retries++;
          await new Promise((r) => setTimeout(r, Math.min(1000, retryAfter * 1000 || 50)));
          continue;
        }
        failures++;
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const finishedAt = Date.now();
  agent.destroy();
  return { latenciesMs, retries, failures, startedAt, finishedAt };
}

function post(agent: Agent, target: URL, body: Uint8Array): Promise<{ status: number; retryAfter: number }> {
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers['retry-after'] ?? 0) }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
