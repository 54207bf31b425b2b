// A real local OpenAI-compatible model server for gate tests: /v1/chat/completions answers by a function of
// the last user message, /v1/completions echoes whitespace tokens with scripted log-probabilities, and every
// request is counted (so a test can see the cache working).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ModelScript {
  /** The answer to a chat request, or a status to fail with. */
  chat(lastUser: string, model: string): string | { status: number; body?: string };
  /** Log-probability of one echoed token (whitespace-split); absent: /v1/completions answers 404. */
  tokenLogprob?: (token: string, model: string) => number;
  /**
   * Log-probability of one prompt token for vLLM-style chat `prompt_logprobs` (the template renders each message
   * as `<|role|> content`); absent: the parameter is ignored, as OpenAI does.
   */
  chatTokenLogprob?: (token: string, model: string) => number;
}

/** The test server's chat template, as whitespace tokens. */
function templateTokens(messages: { role: string; content: string }[], cue: boolean): string[] {
  const text = messages.map((m) => `<|${m.role}|> ${m.content}`).join(' ') + (cue ? ' <|assistant|>' : '');
  return text.split(/\s+/).filter((t) => t !== '');
}

export interface ModelServer {
  baseUrl: string;
  requests: { path: string; body: Record<string, unknown> }[];
  count(path: string): number;
  close(): Promise<void>;
}

export async function startModelServer(script: ModelScript): Promise<ModelServer> {
  const requests: ModelServer['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '';
      const send = (status: number, json: unknown) =>
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(typeof json === 'string' ? json : JSON.stringify(json));
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        // A throw here would kill the test process; a real server answers 400.
        return send(400, '{"error":{"message":"body is not JSON"}}');
      }
      requests.push({ path, body });
      const model = String(body.model);
      if (path === '/v1/chat/completions') {
        const messages = body.messages as { role: string; content: string }[];
        if (body.prompt_logprobs !== undefined && script.chatTokenLogprob) {
          // continue_final_message: the last assistant message is the prompt's end; else the generation cue.
          const tokens = templateTokens(messages, body.add_generation_prompt === true);
          const prompt_logprobs = tokens.map((t, i) =>
            i === 0
              ? null
              : { [String(i)]: { logprob: script.chatTokenLogprob!(t, model), rank: 1, decoded_token: t } },
          );
          return send(200, {
            choices: [{ index: 0, message: { role: 'assistant', content: '.' } }],
            prompt_logprobs,
          });
        }
        const last = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
        const out = script.chat(last, model);
        if (typeof out !== 'string')
          return send(out.status, out.body ?? '{"error":{"message":"scripted failure"}}');
        return send(200, { choices: [{ index: 0, message: { role: 'assistant', content: out } }] });
      }
      if (path === '/v1/completions' && script.tokenLogprob) {
        const text = String(body.prompt);
        const tokens: string[] = [];
        const offsets: number[] = [];
        for (const m of text.matchAll(/\S+/g)) {
          tokens.push(m[0]);
          offsets.push(m.index);
        }
        const logprobs = tokens.map((t, i) => (i === 0 ? null : script.tokenLogprob!(t, model)));
        // One generated token after the echo, as max_tokens: 1 asks.
        tokens.push('<eos>');
        offsets.push(text.length);
        logprobs.push(-0.5);
        return send(200, {
          choices: [
            {
              index: 0,
              text: text + ' <eos>',
              logprobs: { tokens, token_logprobs: logprobs, text_offset: offsets },
            },
          ],
        });
      }
      send(404, '{"error":{"message":"not found"}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    count: (path) => requests.filter((r) => r.path === path).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
