// A real local HTTP server answering /v1/embeddings like OpenAI, with scriptable failures, for embedder tests.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EmbeddingsServer {
  /** Base URL including /v1. */
  baseUrl: string;
  /** The inputs of every request, in arrival order. */
  requests: string[][];
  /** Most requests seen in flight at once. */
  maxInFlight: number;
  close(): Promise<void>;
}

/**
 * Answers each input with `vectorOf(text)`, in reverse order (the API allows any order, with `index`);
 * `status(i)` may fail request i with another HTTP status.
 */
export async function startEmbeddingsServer(
  vectorOf: (text: string) => number[],
  status: (index: number) => number = () => 200,
): Promise<EmbeddingsServer> {
  const state = { requests: [] as string[][], inFlight: 0, maxInFlight: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { input } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { input: string[] };
      const index = state.requests.push(input) - 1;
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      setImmediate(() => {
        state.inFlight--;
        const code = status(index);
        res.writeHead(code, { 'content-type': 'application/json' });
        if (code !== 200) return res.end(JSON.stringify({ error: { message: 'scripted failure' } }));
        const data = input
          .map((text, i) => ({ object: 'embedding', index: i, embedding: vectorOf(text) }))
          .reverse();
        res.end(JSON.stringify({ object: 'list', data }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return state.requests;
    },
    get maxInFlight() {
      return state.maxInFlight;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
