// log π(answer | prompt) from an OpenAI-compatible endpoint, for the DPO implicit reward: /v1/completions with
// `echo: true, logprobs: 0` where it is offered, else vLLM's chat `prompt_logprobs`. Null when neither is.
import { renderPrompt } from '../export/transcript.js';
import type { ChatMessage } from '../records/types.js';
import type { ModelClient } from './ModelClient.js';
import { ModelRequestError } from './ModelClient.js';

/** A 4xx: the endpoint does not take this request (no such route or parameter), not a failure of the run. */
function refused(err: unknown): boolean {
  return (
    err instanceof ModelRequestError && err.status !== undefined && err.status >= 400 && err.status < 500
  );
}

/**
 * The answer's log-probability after the prompt, from whichever source the endpoint offers (found on the first
 * call and kept). The `dpo` text form is used for completions: prompt text + ' ' + answer.
 */
export async function answerLogprob(
  client: ModelClient,
  prompt: readonly ChatMessage[],
  answer: string,
): Promise<number | null> {
  if (client.logprobSource === 'none') return null;
  if (client.logprobSource !== 'chat') {
    const v = await completionLogprob(client, renderPrompt(prompt) + ' ', answer);
    if (v !== null) {
      client.logprobSource = 'completions';
      return v;
    }
    if (client.logprobSource === 'completions') return null;
  }
  const v = await chatLogprob(client, prompt, answer);
  client.logprobSource = v === null ? 'none' : 'chat';
  return v;
}

/**
 * From /v1/completions with `echo: true, logprobs: 0`: the echoed tokens' log-probabilities summed from the first
 * token at or past the prompt's length up to the echoed text's end (the one generated token is not counted).
 */
export function completionLogprob(
  client: ModelClient,
  promptText: string,
  completion: string,
): Promise<number | null> {
  const text = promptText + completion;
  const body = {
    model: client.endpoint.model,
    prompt: text,
    max_tokens: 1,
    echo: true,
    logprobs: 0,
    temperature: 0,
  };
  return client.cache.through(['logprob', client.baseUrl, body, promptText.length], async () => {
    let json: { choices?: { logprobs?: { token_logprobs?: unknown; text_offset?: unknown } }[] };
    try {
      json = (await client.post('/completions', body)) as typeof json;
    } catch (err) {
      if (refused(err)) return null;
      throw err;
    }
    const lp = json.choices?.[0]?.logprobs;
    const logprobs = lp?.token_logprobs;
    const offsets = lp?.text_offset;
    if (!Array.isArray(logprobs) || !Array.isArray(offsets) || offsets.length !== logprobs.length)
      return null;
    let sum = 0;
    let counted = 0;
    for (let i = 0; i < offsets.length; i++) {
      const at = Number(offsets[i]);
      if (at < promptText.length || at >= text.length) continue;
      const v = logprobs[i] as unknown;
      if (typeof v !== 'number' || !Number.isFinite(v)) return null;
      sum += v;
      counted++;
    }
    return counted === 0 ? null : sum;
  });
}

/** Sum of vLLM `prompt_logprobs` entries from `from` on (each entry: {token id: {logprob}}, the prompt's token first). */
function sumPromptLogprobs(entries: unknown, from: number): number | null {
  if (!Array.isArray(entries) || entries.length <= from) return null;
  let sum = 0;
  for (let i = Math.max(from, 1); i < entries.length; i++) {
    const first = Object.values((entries[i] ?? {}) as Record<string, { logprob?: unknown }>)[0];
    const v = first?.logprob;
    if (typeof v !== 'number' || !Number.isFinite(v)) return null;
    sum += v;
  }
  return sum;
}

/**
 * From vLLM's chat completions with `prompt_logprobs: 0`: the conversation with the answer as the final assistant
 * message (continued, not closed), less the prompt with the generation cue — the chat template renders the same
 * prefix both times, so the tokens past the shorter one are the answer's.
 */
export function chatLogprob(
  client: ModelClient,
  prompt: readonly ChatMessage[],
  answer: string,
): Promise<number | null> {
  const common = { model: client.endpoint.model, max_tokens: 1, temperature: 0, prompt_logprobs: 0 };
  const ask = async (body: Record<string, unknown>): Promise<unknown[] | null> => {
    try {
      const json = (await client.post('/chat/completions', body)) as { prompt_logprobs?: unknown };
      return Array.isArray(json.prompt_logprobs) ? json.prompt_logprobs : null;
    } catch (err) {
      if (refused(err)) return null;
      throw err;
    }
  };
  const head = { ...common, messages: prompt, add_generation_prompt: true };
  const whole = {
    ...common,
    messages: [...prompt, { role: 'assistant', content: answer }],
    add_generation_prompt: false,
    continue_final_message: true,
  };
  return client.cache.through(['chat-logprob', client.baseUrl, whole], async () => {
    const prefix = await client.cache.through(['chat-logprob-prefix', client.baseUrl, head], () => ask(head));
    if (prefix === null) return null;
    const all = await ask(whole);
    return all === null ? null : sumPromptLogprobs(all, prefix.length);
  });
}
