// A real local HTTP server that answers /v1/chat/completions like OpenAI, with scriptable answers, for judge tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server does for one request. */
export interface ScriptedReply {
  /** HTTP status (default 200). */
  status?: number;
  /** The assistant message content (200 only). */
  content?: string;
  /** A raw body instead of a chat completion (for malformed or error answers). */
  body?: string;
  /** Wait this long before answering (to trigger client timeouts). */
  delayMs?: number;
  /** Answer only once this settles (lets a test decide when a "slow" judge answers, without timing). */
  waitFor?: Promise<unknown>;
  headers?: Record<string, string>;
}

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  authorization: string | undefined;
}

/** Decides the reply from the request (its index counts from 0 across the server's life). */
export type Script = (request: ChatRequest, index: number) => ScriptedReply;

export interface OpenAiServer {
  /** Base URL including /v1. */
  baseUrl: string;
  requests: ChatRequest[];
  close(): Promise<void>;
}

export async function startOpenAiServer(script: Script): Promise<OpenAiServer> {
  const requests: ChatRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end('{"error":{"message":"not found"}}');
        return;
      }
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<ChatRequest, 'authorization'>;
      const request: ChatRequest = { ...parsed, authorization: req.headers.authorization };
      const reply = script(request, requests.length);
      requests.push(request);
      const send = () => {
        if (res.destroyed) return;
        const status = reply.status ?? 200;
        const body =
          reply.body ??
          JSON.stringify({
            id: `chatcmpl-${requests.length}`,
            object: 'chat.completion',
            model: request.model,
            choices: [
              {
                index: 0,
                finish_reason: 'stop',
                message: { role: 'assistant', content: reply.content ?? '' },
              },
            ],
          });
        res.writeHead(status, { 'content-type': 'application/json', ...reply.headers }).end(body);
      };
      if (reply.waitFor) {
        void reply.waitFor.then(send, send);
      } else if (reply.delayMs) {
        const t = setTimeout(() => {
          timers.delete(t);
          send();
        }, reply.delayMs);
        timers.add(t);
      } else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Which response the pairwise prompt showed as A (for scripts that answer by content). */
export function responseShownAs(request: ChatRequest, label: 'A' | 'B'): string {
  const text = request.messages[request.messages.length - 1]?.content ?? '';
  const m = new RegExp(`## Response ${label}\\n([\\s\\S]*?)(?:\\n\\n## |\\n\\nWhich response)`).exec(text);
  return m?.[1] ?? '';
}
